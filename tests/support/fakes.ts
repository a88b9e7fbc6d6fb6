import type { CallEvent, CallNotifier } from '../../src/application/ports/call-notifier';
import type { Clock } from '../../src/application/ports/clock';
import type { IdGenerator } from '../../src/application/ports/id-generator';
import type { LoginThrottle } from '../../src/application/ports/login-throttle';
import type { PasswordHasher } from '../../src/application/ports/password-hasher';
import type { SessionEndReason, SessionNotifier } from '../../src/application/ports/session-notifier';
import type { TokenClaims, TokenService } from '../../src/application/ports/token-service';

export class FakeClock implements Clock {
  constructor(private current = new Date('2026-01-01T00:00:00.000Z')) {}
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export class SequentialIds implements IdGenerator {
  private counter = 0;
  constructor(private readonly prefix = 'id') {}
  next(): string {
    this.counter += 1;
    return `${this.prefix}-${this.counter}`;
  }
}

/** Reversible "hash" that records every comparison so tests can count the work done. */
export class FakeHasher implements PasswordHasher {
  readonly comparisons: Array<string | null> = [];
  async hash(plain: string): Promise<string> {
    return `hashed:${plain}`;
  }
  async verify(plain: string, hash: string | null): Promise<boolean> {
    this.comparisons.push(hash);
    return hash === `hashed:${plain}`;
  }
}

/** Tokens are readable strings; anything else is rejected like a tampered token. */
export class FakeTokens implements TokenService {
  async issue(claims: TokenClaims): Promise<string> {
    return `token:${claims.userId}:${claims.sessionId}`;
  }
  async verify(token: string): Promise<{ userId: string; sessionId: string } | null> {
    const [kind, userId, sessionId] = token.split(':');
    return kind === 'token' && userId && sessionId ? { userId, sessionId } : null;
  }
}

export class FakeThrottle implements LoginThrottle {
  readonly failures = new Map<string, number>();
  constructor(private readonly maxFailures = 3) {}
  async blockedFor(key: string): Promise<number | null> {
    return (this.failures.get(key) ?? 0) >= this.maxFailures ? 60 : null;
  }
  async recordFailure(key: string): Promise<void> {
    this.failures.set(key, (this.failures.get(key) ?? 0) + 1);
  }
  async reset(key: string): Promise<void> {
    this.failures.delete(key);
  }
}


/** Records which sessions were ended, and why. */
export class RecordingSessionNotifier implements SessionNotifier {
  readonly ended: Array<{ sessionId: string; reason: SessionEndReason }> = [];
  sessionEnded(sessionId: string, reason: SessionEndReason): void {
    this.ended.push({ sessionId, reason });
  }
}

/** Records deliveries as the transport would make them: to one participant, or to every attached member of a call. */
export class RecordingNotifier implements CallNotifier {
  readonly members = new Map<string, Set<string>>();
  readonly delivered: Array<{ to: string; event: CallEvent }> = [];

  async attach(participantId: string, callId: string): Promise<void> {
    const set = this.members.get(callId) ?? new Set<string>();
    set.add(participantId);
    this.members.set(callId, set);
  }
  async detach(participantId: string, callId: string): Promise<void> {
    this.members.get(callId)?.delete(participantId);
  }
  toParticipant(participantId: string, event: CallEvent): void {
    this.delivered.push({ to: participantId, event });
  }
  toCall(callId: string, event: CallEvent, except?: string): void {
    for (const id of this.members.get(callId) ?? []) {
      if (id !== except) this.delivered.push({ to: id, event });
    }
  }
  eventsFor(participantId: string): CallEvent[] {
    return this.delivered.filter((d) => d.to === participantId).map((d) => d.event);
  }
  clear(): void {
    this.delivered.length = 0;
  }
}
