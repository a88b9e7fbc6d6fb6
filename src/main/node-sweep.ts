import type { Logger } from 'pino';
import type { SweepDeadNodes } from '../application/use-cases/sweep-dead-nodes';

/** What this node does with its callers when the calls no longer hold them; each answers how many it reached. */
export interface StandingReactions {
  /** This node was taken for dead: its callers reconnect. */
  onEvicted(): number;
  /** Redis lost its data: its callers are told the call was reset, and join again. */
  onReset(): number;
}

/**
 * Runs SweepDeadNodes every `everyMs`, never two at once (a slow Redis delays the next tick rather than piling
 * them up). A failed tick (Redis away) is retried at the next one. When this node learns it was taken for dead, or
 * that Redis lost its calls, `reactions` deal with its callers, since the calls no longer hold them.
 */
export function scheduleNodeSweep(sweep: Pick<SweepDeadNodes, 'execute'>, everyMs: number, logger: Logger, reactions: StandingReactions): { stop(): void } {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const tick = async () => {
    try {
      const result = await sweep.execute();
      if (result.evicted > 0) logger.warn({ evicted: result.evicted }, 'participants of a dead node removed from their calls');
      if (result.graceExpired > 0) logger.info({ graceExpired: result.graceExpired }, 'participants who did not reconnect within the grace removed from their calls');
      for (const { startedAt, endedAt, peakSize } of result.ended) {
        logger.info({ durationMs: endedAt.getTime() - startedAt.getTime(), peakSize, deadNode: true }, 'call ended');
      }
      if (result.standing === 'evicted') {
        logger.warn({ reconnected: reactions.onEvicted() }, 'this node was taken for dead while silent; its callers reconnect');
      }
      if (result.standing === 'reset') {
        logger.warn({ told: reactions.onReset() }, 'redis lost its data: every call is gone; this node\'s callers were told to join again');
      }
    } catch (error) {
      logger.debug({ err: error instanceof Error ? error.message : String(error) }, 'node sweep failed; retrying at the next tick');
    }
    if (!stopped) timer = setTimeout(() => void tick(), everyMs).unref();
  };
  void tick();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
