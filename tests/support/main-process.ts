import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// Runs the built entry point exactly as `npm start` does (`npm test` builds first).
const MAIN = resolve(__dirname, '../../dist/main/main.js');

/** Every process spawned here and not yet exited, so that a failed test can kill what it left running. */
export const spawned = new Set<ChildProcess>();

export interface ProcessLimits {
  /** The process's limit on open files (soft and hard). */
  openFiles?: number;
}

/**
 * Spawns the entry point with only `env` (plus PATH) and a fresh empty working directory, so that neither the
 * developer's environment nor a `.env` in the checkout (read by `dotenv/config`) changes what is tested.
 */
export function spawnMain(env: Record<string, string>, limits: ProcessLimits = {}): ChildProcess {
  const cwd = mkdtempSync(join(tmpdir(), 'meet-cwd-'));
  // util-linux's prlimit runs the entry point with the limit from its first instruction, as `ulimit -n` would.
  const [command, args] = limits.openFiles === undefined ? [process.execPath, [MAIN]] : ['prlimit', [`--nofile=${limits.openFiles}`, process.execPath, MAIN]];
  const child = spawn(command, args, { cwd, env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  spawned.add(child);
  child.once('exit', () => {
    spawned.delete(child);
    rmSync(cwd, { recursive: true, force: true });
  });
  return child;
}

export interface StartedMain {
  child: ChildProcess;
  url: string;
  output: () => string;
  /** Resolves once the process has printed `text`; rejects if its output ends first. */
  printed: (text: string) => Promise<void>;
  exit: Promise<number | null>;
}

/** Spawns the entry point on an ephemeral loopback port and resolves once it prints the URL it listens on. */
export function startMain(env: Record<string, string>, limits: ProcessLimits = {}): Promise<StartedMain> {
  const child = spawnMain({ HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env }, limits);
  let output = '';
  const exit = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const printed = (text: string) =>
    new Promise<void>((done, fail) => {
      const check = () => {
        if (!output.includes(text)) return;
        child.stdout?.off('data', check);
        child.stderr?.off('data', check);
        done();
      };
      child.stdout?.on('data', check);
      child.stderr?.on('data', check);
      // 'close', not 'exit': what the process printed last may still be in the pipe when it exits.
      child.once('close', () => fail(new Error(`output ended without ${JSON.stringify(text)}:\n${output}`)));
      check();
    });
  return new Promise((ready, fail) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/[\w.:]+)/.exec(output);
      if (match?.[1]) ready({ child, url: match[1], output: () => output, printed, exit });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exit.then((code) => fail(new Error(`exited ${code} before listening:\n${output}`)));
  });
}
