import { Redis } from 'ioredis';
import { RedisCallStore } from '../../src/adapters/persistence/redis/redis-call-store';
import type { ParticipantDraft } from '../../src/domain/call';
import { participantDraft, meshMedia } from '../../tests/support/participants';

/** What the servers' live state uses (src/main/live-state.ts): the same keys, the same liveness. */
const KEY_PREFIX = 'meet:';
const LIVENESS_MS = 10_000;
const HEARTBEAT_MS = 3_000;
const PARALLEL = 500;

/**
 * Idle calls held in the cluster's Redis by a node of the bench's own (a RedisCallStore, one participant per call),
 * so that the servers' store works beside them. That node heartbeats like a server does; otherwise the servers'
 * sweeper would take it for dead after 10 s and empty its calls. Being taken for dead anyway is an error.
 */
export class IdleCalls {
  private readonly redis: Redis;
  private readonly store: RedisCallStore;
  private timer: NodeJS.Timeout | undefined;
  private failure: Error | undefined;
  private held = 0;

  constructor(redisUrl: string) {
    this.redis = new Redis(redisUrl, { connectionName: 'bench-idle-calls' });
    this.store = new RedisCallStore(this.redis, {
      keyPrefix: KEY_PREFIX,
      historyTtlMs: 3_600_000,
      codeHoldMs: 3_600_000,
      chatMemoryLimitBytes: 64 * 1024 * 1024,
      clock: { now: () => new Date() },
      nodeId: 'bench-idle',
      livenessMs: LIVENESS_MS,
    });
  }

  /** Starts heartbeating, then opens `count` calls of one participant each. */
  async hold(count: number): Promise<void> {
    this.check();
    if (!this.timer) {
      await this.beat();
      this.timer = setInterval(() => void this.beat(), HEARTBEAT_MS);
    }
    for (let i = 0; i < count; i += PARALLEL) {
      await Promise.all(
        Array.from({ length: Math.min(PARALLEL, count - i) }, async (_, j) => {
          const joined = await this.store.join({ callId: `bench-idle-${i + j}`, participant: idle(i + j), naming: null, media: meshMedia(8), ownerId: null, resumeToken: null, connectionId: `bench-idle-${i + j}` });
          if ('waiting' in joined || joined.participants.length !== 1) throw new Error(`idle call ${i + j} did not take in its participant alone`);
        }),
      );
    }
    this.held = count;
  }

  /** Every idle participant leaves: its call ends. */
  async release(): Promise<void> {
    for (let i = 0; i < this.held; i += PARALLEL) {
      await Promise.all(
        Array.from({ length: Math.min(PARALLEL, this.held - i) }, async (_, j) => {
          if ((await this.store.leave(idle(i + j).id)) === null) throw new Error(`idle participant ${i + j} was no longer in its call`);
        }),
      );
    }
    this.held = 0;
    this.check();
  }

  /** Throws when a heartbeat failed or learnt that the servers took this node for dead. */
  check(): void {
    if (this.failure) throw this.failure;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    this.redis.disconnect();
  }

  private async beat(): Promise<void> {
    try {
      if ((await this.store.heartbeat()) === 'evicted') this.failure = new Error('the idle calls were evicted: their node was taken for dead');
    } catch (error) {
      this.failure = error instanceof Error ? error : new Error(String(error));
    }
  }
}

function idle(i: number): ParticipantDraft {
  const id = `bench-idle-${i}`;
  return participantDraft(id, { name: 'Idle', address: id });
}
