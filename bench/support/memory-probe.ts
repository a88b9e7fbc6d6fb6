/**
 * Preloaded into a server child (`node --expose-gc -r memory-probe.js main.js`) by a bench: on SIGUSR2 it runs a full
 * GC when exposed and writes `memory-probe {rss, heapUsed, ..., loopDelayP99Ms, loopDelayMaxMs}` as one line on
 * stderr. The loop-delay figures cover the time since the previous probe, sampled every 10 ms (as prom-client's
 * nodejs_eventloop_lag_p99_seconds is), so that a bench reads the app and a bare server the same way. The server
 * itself is unchanged.
 */
import { writeSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const collect = (globalThis as { gc?: () => void }).gc;
const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();

process.on('SIGUSR2', () => {
  const lag = { loopDelayP99Ms: loop.percentile(99) / 1e6, loopDelayMaxMs: loop.max / 1e6 };
  collect?.();
  writeSync(2, `memory-probe ${JSON.stringify({ ...process.memoryUsage(), ...lag })}\n`);
  // The collection just run stalls the loop, and the sampler records that once it next fires: clearing the histogram
  // only after that keeps the probe's own pause out of the next reading.
  setTimeout(() => loop.reset(), 50);
});
