/**
 * Preloaded into a server child (`node --expose-gc -r memory-probe.js main.js`) by a bench: on SIGUSR2 it runs a full
 * GC when exposed and writes `memory-probe {rss, heapUsed, ...}` as one line on stderr. The server itself is unchanged.
 */
import { writeSync } from 'node:fs';

const collect = (globalThis as { gc?: () => void }).gc;

process.on('SIGUSR2', () => {
  collect?.();
  writeSync(2, `memory-probe ${JSON.stringify(process.memoryUsage())}\n`);
});
