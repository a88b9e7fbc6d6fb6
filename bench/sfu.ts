/**
 * bench:sfu — the same call of 2…8 headless Chromium pages as a mesh (MEDIA_MODE=mesh) and through Janus
 * (MEDIA_MODE=sfu), in one run on this machine: the built server as a child process (production, its own origin in
 * CLIENT_URL), a Janus of the bench's own on the project's generated configuration, pages that join as guests.
 * Each page's peer connections are read with getStats() (a wrapped RTCPeerConnection, not the app's internals): once
 * every page decodes every other, a window of BENCH_WINDOW s measures per page the video streams it sends and the
 * bytes it sends and receives, whether each page still decodes every remote video, and Janus's CPU time. Each mode
 * stops growing after the first size it fails (that row is still printed). Prints a table and one JSON line.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { hostAddress, JANUS_INSTALL_HINT, janusMissing, startJanus, type RunningJanus } from '../tests/support/janus-process';
import { freePort } from '../tests/support/redis-process';
import { chromiumMissing, launchBenchChromium } from './support/bench-chromium';
import { openCall, shortfall, untilEveryoneDecodes } from './support/call-of-pages';
import { busyPercent, machineTicks } from './support/machine-cpu';
import { pageWindow, type PageWindow } from './support/page-window';
import type { PageReading } from './support/peer-stats';
import { runBench } from './support/run-bench';
import { cpuMicros, RELAY_BENCH_ENV, sleep, startServer, type ServerProcess } from './support/server-process';
import { linearFit, round } from './support/stats';
import { table } from './support/table';

const setting = (name: string, fallback: string) => process.env[name] ?? fallback;
const SIZES = setting('BENCH_SIZES', '2,3,4,5,6,7,8').split(',').map(Number);
const WINDOW_SECONDS = Number(setting('BENCH_WINDOW', '10'));
/** How long every page gets, after the last join, to decode every other. */
const CONNECT_SECONDS = Number(setting('BENCH_CONNECT_SECONDS', '60'));
const MODES = ['mesh', 'sfu'] as const;
type Mode = (typeof MODES)[number];

interface Row {
  mode: Mode;
  pages: number;
  /** Every page decoded all n-1 others through the window. */
  held: boolean;
  /** Seconds from the last join to everyone decoding, or null. */
  readySeconds: number | null;
  windows: PageWindow[];
  janusCpuPercent: number;
  machineBusyPercent: number;
  note: string;
}

/** A server of its own per mode on a port chosen first, so that CLIENT_URL can name its origin (production CORS). */
async function startModeServer(mode: Mode, janusUrl: string): Promise<ServerProcess> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const server = await startServer({ ...RELAY_BENCH_ENV, PORT: String(port), CLIENT_URL: origin, JANUS_URLS: janusUrl, MEDIA_MODE: mode });
  if (server.url !== origin) throw new Error(`the ${mode} server listens on ${server.url}, not on ${origin} (CLIENT_URL)`);
  return server;
}

async function measure(browser: Browser, server: ServerProcess, janus: RunningJanus, mode: Mode, n: number): Promise<Row> {
  const row: Row = { mode, pages: n, held: false, readySeconds: null, windows: [], janusCpuPercent: NaN, machineBusyPercent: NaN, note: '' };
  let call;
  try {
    call = await openCall(browser, server.url, `bench-${mode}-${n}`, n);
  } catch (error) {
    row.note = `join failed: ${error instanceof Error ? error.message : String(error)}`;
    return row;
  }
  try {
    const ready = await untilEveryoneDecodes(call, n - 1, CONNECT_SECONDS);
    row.readySeconds = ready.seconds;
    // Measured also when not everyone decodes: the row then shows how far the call got.
    const before = { readings: await call.read(), janus: cpuMicros(janus.pid), machine: machineTicks(), at: Date.now() };
    await sleep(WINDOW_SECONDS * 1000);
    const after = { readings: await call.read(), janus: cpuMicros(janus.pid), machine: machineTicks(), at: Date.now() };
    row.windows = after.readings.map((reading, i) => pageWindow(before.readings[i]!, reading));
    row.janusCpuPercent = (100 * (after.janus - before.janus)) / ((after.at - before.at) * 1000);
    row.machineBusyPercent = busyPercent(before.machine, after.machine);
    const path = wrongPath(mode, row.windows, after.readings);
    row.held = ready.seconds !== null && row.windows.every((window) => window.decoding >= n - 1) && path === '';
    row.note = [path, await shortfall(call, row.windows, after.readings, n - 1)].filter(Boolean).join('; ');
    if (!row.note && ready.seconds === null) row.note = `not every page decoded every other within ${CONNECT_SECONDS} s`;
    return row;
  } catch (error) {
    // A page that stops answering (a starved or crashed renderer) fails its size, not the run.
    row.held = false;
    row.note = `reading the pages failed: ${error instanceof Error ? error.message : String(error)}`;
    return row;
  } finally {
    await call.close();
  }
}

/**
 * '' when every page's media took the mode's path: in sfu only connections to Janus, in mesh none; else which pages
 * did not, with the app's own word for its path when it exposes one.
 */
function wrongPath(mode: Mode, windows: PageWindow[], readings: PageReading[]): string {
  const wrong = windows.flatMap((w, i) => ((mode === 'sfu' ? w.toBrowsers > 0 || w.toJanus === 0 : w.toJanus > 0) ? [i] : []));
  if (wrong.length === 0) return '';
  const pages = wrong.map((i) => `P${i + 1} ${windows[i]!.toJanus}/${windows[i]!.toBrowsers}`).join(', ');
  return `not on the ${mode} path (connections to Janus/to browsers): ${pages}; P${wrong[0]! + 1}'s __meet.path=${readings[wrong[0]!]?.path ?? 'unset'}`;
}

/** The Janus configuration the bench runs on, in a folder of its own: the nat section is checked and printed. */
function natSection(configDir: string): string[] {
  const text = readFileSync(path.join(configDir, 'janus.jcfg'), 'utf8');
  const nat = /nat: \{([^}]*)\}/.exec(text)?.[1] ?? '';
  const lines = nat.split('\n').map((line) => line.trim()).filter(Boolean);
  if (!lines.includes('ignore_mdns = true') || !lines.some((line) => line.startsWith('ice_enforce_list = '))) {
    throw new Error(`janus.jcfg's nat section lacks ignore_mdns = true or an ice_enforce_list: ${lines.join('; ')}`);
  }
  return lines;
}

async function main(): Promise<boolean> {
  const missing = chromiumMissing() ?? (janusMissing() === null ? null : `${janusMissing()} (${JANUS_INSTALL_HINT})`);
  if (missing !== null) {
    console.error(`bench:sfu: ${missing}; nothing was measured.`);
    return false;
  }
  // Janus 1.1 never gathers candidates on loopback (see janus-config.ts): it is kept to this machine's first
  // non-loopback IPv4 address, which the pages on this machine reach as well.
  const address = hostAddress();
  if (address === undefined) throw new Error('no non-loopback IPv4 address for Janus to offer to the pages');
  const loadStart = loadavg()[0]!;
  const configDir = mkdtempSync(path.join(tmpdir(), 'bench-sfu-janus-'));
  const base = 40_000 + 500 * Math.floor(Math.random() * 40);
  const janus = await startJanus({ iceEnforceList: address, rtpPorts: { min: base, max: base + 499 }, debugLevel: 3, configDir });
  const servers: ServerProcess[] = [];
  let browser: Browser | undefined;
  try {
    const nat = natSection(configDir);
    const server = { mesh: await startModeServer('mesh', janus.url), sfu: await startModeServer('sfu', janus.url) };
    servers.push(server.mesh, server.sfu);
    browser = await launchBenchChromium();
    const rows: Row[] = [];
    const failed = new Set<Mode>();
    for (const n of SIZES) {
      for (const mode of MODES) {
        if (failed.has(mode)) continue;
        const row = await measure(browser, server[mode], janus, mode, n);
        rows.push(row);
        process.stderr.write(`bench:sfu: ${mode} ${n} pages: ${row.held ? 'held' : `FAILED ${row.note}`}\n`);
        if (!row.held) failed.add(mode);
      }
      if (failed.size === MODES.length) break;
    }
    const errors = servers.flatMap((s, i) => s.log.errors.map((line) => `${MODES[i]} server: ${line}`));
    report(rows, { nat, loadStart, errors, warnings: servers.map((s) => s.log.warnings) });
    return rows.some((row) => row.mode === 'sfu' && row.held);
  } finally {
    await browser?.close();
    await Promise.all(servers.map((s) => s.stop()));
    await janus.stop();
    rmSync(configDir, { recursive: true, force: true });
  }
}

const kB = (bytes: number) => round(bytes / 1000, 1);
const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
/** "3" when every page has the same figure, "2-3" when not. */
function span(values: number[]): string {
  if (values.length === 0) return '-';
  const [low, high] = [Math.min(...values), Math.max(...values)];
  return low === high ? String(low) : `${low}-${high}`;
}

function largestHeld(rows: Row[], mode: Mode): number | null {
  const held = rows.filter((row) => row.mode === mode && row.held).map((row) => row.pages);
  return held.length > 0 ? Math.max(...held) : null;
}

/**
 * What the calls held imply for 50 and 100 people. Janus: CPU per forwarded stream of the largest call held x n(n-1),
 * an upper bound (it also paid for audio and for what does not grow with the call: each publisher's DTLS, SRTP in,
 * RTCP), and the line fitted through every SFU call held (CPU against forwarded streams), whose slope is the cost
 * of one more stream. A page: its upload (one simulcast set on the SFU whatever the size, n-1 streams in a mesh) and
 * its download (n-1 streams either way, at the layer each tile asked for).
 */
function projection(rows: Row[]): string[] {
  const at = (mode: Mode) => rows.find((row) => row.mode === mode && row.pages === largestHeld(rows, mode));
  const sfu = at('sfu');
  const mesh = at('mesh');
  const forwarded = (pages: number) => pages * (pages - 1);
  const fit = linearFit(rows.filter((row) => row.mode === 'sfu' && row.held).map((row) => ({ x: forwarded(row.pages), y: row.janusCpuPercent })));
  const lines: string[] = [];
  if (sfu) lines.push(`Janus CPU against forwarded streams, fitted over the SFU calls held: ${round(fit.intercept, 2)} % + ${round(fit.slope, 3)} % per stream`);
  for (const n of [50, 100]) {
    const parts: string[] = [];
    if (sfu) {
      const upperBound = (sfu.janusCpuPercent / forwarded(sfu.pages)) * forwarded(n);
      const fitted = fit.intercept + fit.slope * forwarded(n);
      const upload = mean(sfu.windows.map((w) => w.outBytesPerSecond));
      const perRemote = mean(sfu.windows.map((w) => w.inBytesPerSecond)) / (sfu.pages - 1);
      const perStream = sfu.windows.reduce((sum, w) => sum + w.inBytesPerSecond, 0) / forwarded(sfu.pages);
      parts.push(
        `SFU: Janus at most ~${round(upperBound / 100, 1)} cores (fitted line: ~${round(fitted / 100, 1)}) for ${forwarded(n)} video streams at the ${kB(perStream)} kB/s per stream measured, ` +
          `a page sends ${kB(upload)} kB/s and receives ~${kB(perRemote * (n - 1))} kB/s`,
      );
    }
    if (mesh) {
      const perPeer = mean(mesh.windows.map((w) => w.outBytesPerSecond)) / (mesh.pages - 1);
      parts.push(`mesh: a page would send ~${kB(perPeer * (n - 1))} kB/s in ${n - 1} encodings (and receive as much)`);
    }
    if (parts.length > 0) lines.push(`${n} people, from the largest calls held: ${parts.join('; ')}`);
  }
  return lines;
}

interface Context {
  nat: string[];
  loadStart: number;
  errors: string[];
  warnings: Array<Record<string, number>>;
}

function report(rows: Row[], context: Context): void {
  const out = (text = '') => console.log(text);
  const machine = { cpus: cpus().length, memoryGiB: round(totalmem() / 2 ** 30, 1), node: process.version, loadAverage1m: { start: round(context.loadStart, 2), end: round(loadavg()[0]!, 2) } };
  out(`bench:sfu: ${machine.cpus} cores, ${machine.memoryGiB} GiB, Node ${machine.node}, 1-minute load average ${machine.loadAverage1m.start} at the start, ${machine.loadAverage1m.end} at the end`);
  out(`Janus nat section: ${context.nat.join('; ')}`);
  out(`Per page, over a ${WINDOW_SECONDS} s window once every page decoded every other (mean over pages unless a range); Janus CPU in % of one core.`);
  out(`Forwarded streams = pages x (pages-1) video; Janus CPU also covers forwarding as many audio streams, so per video stream it is an upper bound.`);
  out(`Janus % per MB/s sent: its CPU over the bytes the pages received from it (all of their SFU traffic: video, audio, RTCP).`);
  out();
  out(
    table(
      ['mode', 'pages', 'connections: Janus / browsers', 'video out: receivers / encodings', 'video out kB/s', 'all out kB/s', 'all in kB/s', 'decoding others', 'slowest fps', 'ready s', 'Janus CPU %', 'Janus % per fwd stream', 'Janus % per MB/s sent', 'machine busy %', 'held'],
      rows.map((row) => {
        const w = row.windows;
        const forwarded = row.pages * (row.pages - 1);
        const measured = w.length > 0;
        return [
          row.mode,
          row.pages,
          measured ? `${span(w.map((x) => x.toJanus))} / ${span(w.map((x) => x.toBrowsers))}` : '-',
          measured ? `${span(w.map((x) => x.videoStreams))} / ${span(w.map((x) => x.videoEncodings))}` : '-',
          measured ? kB(mean(w.map((x) => x.videoOutBytesPerSecond))) : '-',
          measured ? kB(mean(w.map((x) => x.outBytesPerSecond))) : '-',
          measured ? kB(mean(w.map((x) => x.inBytesPerSecond))) : '-',
          measured ? `${span(w.map((x) => x.decoding))} of ${row.pages - 1}` : '-',
          measured ? round(Math.min(...w.map((x) => x.slowestFps)), 1) : '-',
          row.readySeconds === null ? 'never' : round(row.readySeconds, 1),
          measured ? round(row.janusCpuPercent, 1) : '-',
          measured && row.mode === 'sfu' ? round(row.janusCpuPercent / forwarded, 2) : '-',
          // On the SFU everything a page receives comes from Janus: their sum is what Janus sent.
          measured && row.mode === 'sfu' ? round(row.janusCpuPercent / (w.reduce((sum, x) => sum + x.inBytesPerSecond, 0) / 1e6), 1) : '-',
          measured ? round(row.machineBusyPercent, 0) : '-',
          row.held ? 'yes' : 'NO',
        ];
      }),
    ),
  );
  for (const row of rows.filter((r) => r.note)) out(`${row.mode} ${row.pages}: ${row.note}`);
  const sfu = largestHeld(rows, 'sfu');
  const mesh = largestHeld(rows, 'mesh');
  out();
  out(`Largest call held with every page decoding every other: SFU ${sfu ?? 'none'}, mesh ${mesh ?? 'none'} (of sizes ${SIZES.join(', ')}).`);
  if (sfu === null) out('SFU: FAILED — no SFU call held at any size; see the notes above.');
  for (const line of projection(rows)) out(line);
  if (context.errors.length > 0) out(`Server errors:\n${context.errors.join('\n')}`);
  out(
    JSON.stringify({
      scenario: 'sfu-vs-mesh',
      windowSeconds: WINDOW_SECONDS,
      largestHeld: { sfu, mesh },
      rows: rows.map((row) => ({ ...row, windows: row.windows.map((w) => Object.fromEntries(Object.entries(w).map(([k, v]: [string, number]) => [k, round(v, 1)]))) })),
      serverWarnings: context.warnings,
      machine,
    }),
  );
}

runBench(main);
