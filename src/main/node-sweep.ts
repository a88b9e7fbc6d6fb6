import type { Logger } from 'pino';
import type { SweepDeadNodes } from '../application/use-cases/sweep-dead-nodes';

/**
 * Runs SweepDeadNodes every `everyMs`, never two at once (a slow Redis delays the next tick rather than piling
 * them up). A failed tick (Redis away) is retried at the next one. When this node learns it was taken for dead,
 * `onEvicted` makes its callers reconnect, since the calls no longer hold them.
 */
export function scheduleNodeSweep(sweep: SweepDeadNodes, everyMs: number, logger: Logger, onEvicted: () => number): { stop(): void } {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const tick = async () => {
    try {
      const result = await sweep.execute();
      if (result.evicted > 0) logger.warn({ evicted: result.evicted }, 'participants of a dead node removed from their calls');
      for (const { startedAt, endedAt, peakSize } of result.ended) {
        logger.info({ durationMs: endedAt.getTime() - startedAt.getTime(), peakSize, deadNode: true }, 'call ended');
      }
      if (result.standing === 'evicted') {
        logger.warn({ reconnected: onEvicted() }, 'this node was taken for dead while silent; its callers reconnect');
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
