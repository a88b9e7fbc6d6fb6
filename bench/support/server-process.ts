import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '../../..');
export const MAIN = path.join(ROOT, 'dist/main/main.js');

/** What the server wrote: pino JSON lines counted by level, error lines kept, anything else on stdout or stderr kept. */
export interface ServerLog {
  lines: number;
  byLevel: Record<string, number>;
  /** Level >= 50 (error, fatal), first few kept as written. */
  errors: string[];
  errorCount: number;
  /** Lines on stdout that are not pino JSON, and everything on stderr. */
  stray: string[];
  /** Messages of warn lines (level 40), counted. */
  warnings: Record<string, number>;
}

export interface ServerProcess {
  url: string;
  port: number;
  pid: number;
  child: ChildProcess;
  log: ServerLog;
  /** Set once the process has exited, with its code or signal. */
  exited: string | null;
  /** Memory-probe answers (see memory-probe.ts), in order. */
  probes: Array<Record<string, number>>;
  stop(): Promise<void>;
}

/** The server as the relay benches run it: production, with the limits that would refuse their load raised. */
export const RELAY_BENCH_ENV = {
  NODE_ENV: 'production',
  JWT_SECRET: 'bench-secret-bench-secret-bench-secret',
  // Limits raised so the bench measures the relay path, not the throttle refusing it (the limiter still runs).
  RATE_LIMIT_SIGNAL: '1000000',
  RATE_LIMIT_CHAT: '100000',
  // Every bench socket comes from 127.0.0.1.
  MAX_SOCKETS_PER_ADDRESS: '100000',
};

const KEEP = 20;
const INFO_LINE = '{"level":30,';

function record(log: ServerLog, line: string, stream: 'stdout' | 'stderr'): void {
  if (line.trim() === '') return;
  log.lines += 1;
  if (stream === 'stderr') {
    if (log.stray.length < KEEP) log.stray.push(`stderr: ${line.slice(0, 500)}`);
    return;
  }
  // An info line is only counted: parsing the request line of each of 10,000 requests a second took the CPU
  // autocannon shares in this process (docs/performance.md, issue 21).
  if (line.startsWith(INFO_LINE) && line.endsWith('}')) {
    log.byLevel['30'] = (log.byLevel['30'] ?? 0) + 1;
    return;
  }
  let parsed: { level?: unknown; msg?: unknown };
  try {
    parsed = JSON.parse(line) as { level?: unknown; msg?: unknown };
  } catch {
    if (log.stray.length < KEEP) log.stray.push(`stdout: ${line.slice(0, 500)}`);
    return;
  }
  const level = typeof parsed.level === 'number' ? parsed.level : -1;
  log.byLevel[String(level)] = (log.byLevel[String(level)] ?? 0) + 1;
  if (level >= 50) {
    log.errorCount += 1;
    if (log.errors.length < KEEP) log.errors.push(line.slice(0, 2000));
  } else if (level === 40) {
    const msg = String(parsed.msg);
    log.warnings[msg] = (log.warnings[msg] ?? 0) + 1;
  }
}

/**
 * Node options for every server a bench starts, from BENCH_NODE_ARGS (space-separated): for example
 * `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile the servers (each writes its profile when it stops).
 */
const SERVER_NODE_ARGS = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter((arg) => arg !== '');

/**
 * Starts the built server (dist/main/main.js) as a child process on an ephemeral loopback port with its own data
 * directory; resolves once it says it is listening. Every line it writes is counted in `log`.
 */
export function startServer(env: Record<string, string>, nodeArgs: string[] = [], script = MAIN): Promise<ServerProcess> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'meet-fuzz-'));
  const args = [...SERVER_NODE_ARGS, ...nodeArgs, script];
  // BENCH_SERVER_CPUS (a taskset CPU list): the server runs on those CPUs only, so a load generator pinned to the
  // others (`taskset -c 0 npm run bench:…`) does not take the server's CPU time, nor the server the generator's.
  const cpus = process.env.BENCH_SERVER_CPUS;
  const [command, commandArgs] = cpus ? ['taskset', ['-c', cpus, process.execPath, ...args]] : [process.execPath, args];
  const child = spawn(command, commandArgs, {
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log: ServerLog = { lines: 0, byLevel: {}, errors: [], errorCount: 0, stray: [], warnings: {} };
  const probes: Array<Record<string, number>> = [];
  const pending = { stdout: '', stderr: '' };
  let onLine: ((line: string) => void) | undefined;
  const feed = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
    const text = pending[stream] + chunk.toString();
    const lines = text.split('\n');
    pending[stream] = lines.pop() ?? '';
    for (const line of lines) {
      if (stream === 'stderr' && line.startsWith('memory-probe ')) {
        probes.push(JSON.parse(line.slice('memory-probe '.length)) as Record<string, number>);
        continue;
      }
      record(log, line, stream);
      onLine?.(line);
    }
  };
  child.stdout.on('data', feed('stdout'));
  child.stderr.on('data', feed('stderr'));

  return new Promise((ready, fail) => {
    const handle: ServerProcess = {
      url: '',
      port: 0,
      pid: child.pid ?? 0,
      child,
      log,
      exited: null,
      probes,
      stop: () =>
        new Promise((done) => {
          const finish = () => {
            rmSync(dataDir, { recursive: true, force: true });
            done();
          };
          if (handle.exited !== null) return finish();
          child.once('exit', finish);
          child.kill('SIGTERM');
        }),
    };
    child.once('exit', (code, signal) => {
      handle.exited = signal ?? String(code);
      if (!handle.url) fail(new Error(`server exited with ${handle.exited} before listening: ${log.stray.join(' | ')}`));
    });
    onLine = (line) => {
      const match = /listening on (http:\/\/[\d.]+:(\d+))/.exec(line);
      if (match?.[1] && !handle.url) {
        handle.url = match[1];
        handle.port = Number(match[2]);
        ready(handle);
      }
    };
  });
}

export function rssBytes(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? 0) * 1024;
}

/** User + system CPU time of a process, in microseconds (Linux /proc; clock ticks are 100 Hz here). */
export function cpuMicros(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

/** Read and write system calls a process has made so far (Linux /proc/<pid>/io: syscr, syscw). */
export function syscalls(pid: number): { reads: number; writes: number } {
  const io = readFileSync(`/proc/${pid}/io`, 'utf8');
  return { reads: Number(/syscr: (\d+)/.exec(io)?.[1] ?? NaN), writes: Number(/syscw: (\d+)/.exec(io)?.[1] ?? NaN) };
}

export const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

export function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
}

export function count(into: Record<string, number>, key: string, by = 1): void {
  into[key] = (into[key] ?? 0) + by;
}
