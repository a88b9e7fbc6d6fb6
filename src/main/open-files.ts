import { readFileSync } from 'node:fs';

/** The process's soft limit on open files (ulimit -n), from Linux's /proc; null where it cannot be read. */
export function openFilesLimit(limits = '/proc/self/limits'): number | null {
  try {
    const line = readFileSync(limits, 'utf8').split('\n').find((text) => text.startsWith('Max open files'));
    const soft = line?.slice('Max open files'.length).trim().split(/\s+/)[0];
    return soft !== undefined && /^\d+$/.test(soft) ? Number(soft) : null;
  } catch {
    return null;
  }
}

/**
 * How many sockets a node takes: as configured, or under `auto` its open-files limit less a reserve (5%, at least
 * 64) for what else holds descriptors: the database, Redis, Janus, log output and plain HTTP requests. Past the limit
 * Node cannot accept at all and a client sees a bare reset; below it a refusal can still say why.
 */
export function socketCapacity(configured: number | 'auto', limit: number | null): number {
  if (configured !== 'auto') return configured;
  if (limit === null) return Number.POSITIVE_INFINITY;
  return Math.max(1, limit - Math.max(64, Math.ceil(limit * 0.05)));
}
