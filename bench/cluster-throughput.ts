import { performance } from 'node:perf_hooks';
import type { Socket } from 'socket.io-client';
import { CANDIDATE, closeAll, connect, failOnCallError, LOST_AFTER_MS, request } from './support/bench-socket';
import { cpuMicros, sleep, syscalls, type ServerProcess } from './support/server-process';
import { round } from './support/stats';

export interface ThroughputSetup {
  calls: number;
  participants: number;
  /** Signals each participant keeps in flight. */
  window: number;
  seconds: number;
}

export interface Throughput {
  /** Signals delivered per second, all nodes together. */
  rate: number;
  /** Signals per second each node relayed (took from its own clients and routed), in node order. */
  perNode: number[];
  /** CPU of all the nodes together per delivered signal, µs. */
  serverCpuMicrosPerSignal: number;
  /** redis-server's CPU per delivered signal, µs (cluster only). */
  redisCpuMicrosPerSignal: number | null;
  /** Read and write system calls per delivered signal: all the nodes together, and redis-server. */
  serverSyscallsPerSignal: { reads: number; writes: number };
  redisSyscallsPerSignal: { reads: number; writes: number } | null;
}

/**
 * Tokens circulate around each call's ring (closed loop: every delivery triggers exactly one send), `window` per
 * participant; participant i is on node i mod nodes, so in the cluster every hop crosses nodes. After 0.5 s of
 * warm-up, `seconds` are measured; then sending stops and every signal sent must arrive.
 */
export async function relayThroughput(nodes: ServerProcess[], redisPid: number | null, setup: ThroughputSetup, label: string): Promise<Throughput> {
  const nodeOf = (member: number) => member % nodes.length;
  const calls: Socket[][] = [];
  let sent = 0;
  let delivered = 0;
  const deliveredFrom = nodes.map(() => 0);
  let running = true;
  let failure: Error | undefined;
  try {
    for (let c = 0; c < setup.calls; c += 1) {
      const members: Socket[] = [];
      calls.push(members);
      for (let i = 0; i < setup.participants; i += 1) members.push(await connect(nodes[nodeOf(i)]!.url));
      for (const socket of members) await request(socket, 'join-call', `bench-throughput-${label}-${c}`);
    }
    for (const members of calls) {
      members.forEach((socket, i) => {
        const nextId = members[(i + 1) % members.length]!.id!;
        const senderNode = nodeOf((i + members.length - 1) % members.length);
        failOnCallError(socket, (error) => (failure ??= error));
        socket.on('signal', (_from: string, message: unknown) => {
          delivered += 1;
          deliveredFrom[senderNode]! += 1;
          if (!running) return;
          sent += 1;
          socket.emit('signal', nextId, message);
        });
      });
    }
    for (const members of calls) {
      members.forEach((socket, i) => {
        const nextId = members[(i + 1) % members.length]!.id!;
        for (let w = 0; w < setup.window; w += 1) {
          sent += 1;
          socket.emit('signal', nextId, CANDIDATE);
        }
      });
    }
    await sleep(500);
    const pids = [...nodes.map((node) => node.pid), ...(redisPid === null ? [] : [redisPid])];
    const startCpu = pids.map(cpuMicros);
    const startCalls = pids.map(syscalls);
    const startFrom = [...deliveredFrom];
    const startCount = delivered;
    const started = performance.now();
    await sleep(setup.seconds * 1000);
    const seconds = (performance.now() - started) / 1000;
    const count = delivered - startCount;
    const cpu = pids.map((pid, i) => cpuMicros(pid) - startCpu[i]!);
    const systemCalls = pids.map((pid, i) => {
      const now = syscalls(pid);
      return { reads: now.reads - startCalls[i]!.reads, writes: now.writes - startCalls[i]!.writes };
    });
    const perNode = deliveredFrom.map((from, i) => Math.round((from - startFrom[i]!) / seconds));
    running = false;
    for (let waited = 0; delivered < sent && waited < LOST_AFTER_MS; waited += 10) await sleep(10);
    if (failure) throw failure;
    if (delivered !== sent) throw new Error(`${label}: ${sent - delivered} of ${sent} signals lost`);
    const serverCpu = cpu.slice(0, nodes.length).reduce((total, micros) => total + micros, 0);
    const perSignal = (of: Array<{ reads: number; writes: number }>) => ({
      reads: round(of.reduce((total, c) => total + c.reads, 0) / count, 2),
      writes: round(of.reduce((total, c) => total + c.writes, 0) / count, 2),
    });
    return {
      rate: Math.round(count / seconds),
      perNode,
      serverCpuMicrosPerSignal: round(serverCpu / count, 2),
      redisCpuMicrosPerSignal: redisPid === null ? null : round(cpu[nodes.length]! / count, 2),
      serverSyscallsPerSignal: perSignal(systemCalls.slice(0, nodes.length)),
      redisSyscallsPerSignal: redisPid === null ? null : perSignal(systemCalls.slice(nodes.length)),
    };
  } finally {
    closeAll(calls.flat());
  }
}
