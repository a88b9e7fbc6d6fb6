import type { AttendanceRepository } from '../../src/application/ports/attendance-repository';
import type { CallEvent, CallNotifier } from '../../src/application/ports/call-notifier';
import type { SignalDelivery, SignalEvent, SignalRouter } from '../../src/application/ports/signal-router';
import type { Clock } from '../../src/application/ports/clock';
import type { SecretGenerator } from '../../src/application/ports/secret-generator';
import type { IdGenerator } from '../../src/application/ports/id-generator';
import type { LoginThrottle, LoginThrottleKeys } from '../../src/application/ports/login-throttle';
import type { MeetingCodeGenerator } from '../../src/application/ports/meeting-code-generator';
import type { PasswordHasher } from '../../src/application/ports/password-hasher';
import type { SessionEndReason, SessionNotifier } from '../../src/application/ports/session-notifier';
import type { TokenClaims, TokenService } from '../../src/application/ports/token-service';
import type { TurnCredential, TurnCredentialIssuer } from '../../src/application/ports/turn-credential-issuer';
import type { AttendanceRecord } from '../../src/domain/attendance';

export class FakeClock implements Clock {
  constructor(private current = new Date('2026-01-01T00:00:00.000Z')) {}
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

/** Secrets `secret-1`, `secret-2`, …: predictable, which is what a test wants. */
export class SequentialSecrets implements SecretGenerator {
  private count = 0;
  next(): string {
    this.count += 1;
    return `secret-${this.count}`;
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

/** Counts attempts per key like the real throttle: a charge over either budget is refused with 60 seconds. */
export class FakeThrottle implements LoginThrottle {
  readonly attempts = new Map<string, number>();
  constructor(
    private readonly maxPerAccount = 3,
    private readonly maxPerAddress = 100,
  ) {}
  async charge(keys: LoginThrottleKeys): Promise<number | null> {
    if (this.count(keys.account) >= this.maxPerAccount || this.count(keys.address) >= this.maxPerAddress) return 60;
    this.attempts.set(keys.account, this.count(keys.account) + 1);
    this.attempts.set(keys.address, this.count(keys.address) + 1);
    return null;
  }
  async succeeded(keys: LoginThrottleKeys): Promise<void> {
    this.attempts.delete(keys.account);
    this.attempts.set(keys.address, this.count(keys.address) - 1);
  }
  private count(key: string): number {
    return this.attempts.get(key) ?? 0;
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
/**
 * Records what is sent, and routes signals as SocketIoCallNotifier does: membership follows attach/detach. The
 * participants in `remote` are held by another node: a signal to one is forwarded and that node delivers it only if
 * the target is in the signal's call (else it lands in `dropped`).
 */
export class RecordingNotifier implements CallNotifier, SignalRouter {
  readonly members = new Map<string, Set<string>>();
  readonly delivered: Array<{ to: string; event: CallEvent }> = [];
  readonly rebound: Array<{ participantId: string; connectionId: string }> = [];
  readonly replaced: string[] = [];
  readonly remote = new Set<string>();
  readonly dropped: Array<{ to: string; callId: string; event: SignalEvent }> = [];
  /** attach/detach and what is sent, in order, as `detach:<id>` or `<event type>:<id>`. */
  readonly log: string[] = [];

  async attach(participantId: string, callId: string): Promise<void> {
    const set = this.members.get(callId) ?? new Set<string>();
    set.add(participantId);
    this.members.set(callId, set);
    this.log.push(`attach:${participantId}`);
  }
  async detach(participantId: string, callId: string): Promise<void> {
    this.members.get(callId)?.delete(participantId);
    this.log.push(`detach:${participantId}`);
  }
  callOf(participantId: string): string | null {
    if (this.remote.has(participantId)) return null;
    for (const [callId, ids] of this.members) if (ids.has(participantId)) return callId;
    return null;
  }
  toMember(callId: string, toId: string, event: SignalEvent): SignalDelivery {
    const inCall = this.members.get(callId)?.has(toId) === true;
    if (inCall) this.toParticipant(toId, event);
    else if (this.remote.has(toId)) this.dropped.push({ to: toId, callId, event });
    if (this.remote.has(toId)) return 'forwarded';
    return inCall ? 'delivered' : 'absent';
  }
  async rebind(participantId: string, connectionId: string): Promise<void> {
    this.rebound.push({ participantId, connectionId });
  }
  closeReplaced(connectionId: string, _by: string): void {
    this.replaced.push(connectionId);
  }
  toParticipant(participantId: string, event: CallEvent): void {
    this.delivered.push({ to: participantId, event });
    this.log.push(`${event.type}:${participantId}`);
  }
  toCall(callId: string, event: CallEvent, except?: string): void {
    for (const id of this.members.get(callId) ?? []) {
      if (id !== except) this.toParticipant(id, event);
    }
  }
  eventsFor(participantId: string): CallEvent[] {
    return this.delivered.filter((d) => d.to === participantId).map((d) => d.event);
  }
  clear(): void {
    this.delivered.length = 0;
    this.log.length = 0;
  }
}

/** Issues readable credentials and records whom each was for. */
export class RecordingTurnIssuer implements TurnCredentialIssuer {
  readonly subjects: string[] = [];
  async issue(subject: string): Promise<TurnCredential> {
    this.subjects.push(subject);
    return { username: `user:${subject}`, credential: `secret-for:${subject}` };
  }
}

/**
 * Keeps every record added, in order. `beforeAdd` runs as each add starts (to see what had happened by then);
 * with `failure` set, every add rejects with it and keeps nothing.
 */
export class RecordingAttendance implements Pick<AttendanceRepository, 'add'> {
  readonly records: AttendanceRecord[] = [];
  beforeAdd: (record: AttendanceRecord) => void = () => {};
  failure: Error | null = null;
  async add(record: AttendanceRecord): Promise<void> {
    this.beforeAdd(record);
    if (this.failure) throw this.failure;
    this.records.push(record);
  }
}

/** Hands out the codes it was given, in order, and records how many were asked for. */
export class ScriptedMeetingCodes implements MeetingCodeGenerator {
  asked = 0;
  constructor(private readonly codes: string[]) {}
  next(): string {
    const code = this.codes[this.asked];
    this.asked += 1;
    if (code === undefined) throw new Error('ScriptedMeetingCodes ran out of codes');
    return code;
  }
}
