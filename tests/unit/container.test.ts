import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { loadConfig } from '../../src/config/env';
import { buildContainer } from '../../src/main/container';
import { startServer } from '../../src/main/server';
import { TOKENS, type Token } from '../../src/main/tokens';
import { TypedContainer } from '../../src/main/typed-container';

const ALL: Array<Token<unknown>> = Object.values(TOKENS);

/** Records each token resolved, and which token's factory resolved it (null: resolved from outside any factory). */
function traceResolves() {
  const edges: Array<{ from: string | null; to: string }> = [];
  const stack: string[] = [];
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with the container as `this`
  const original = TypedContainer.prototype.resolve;
  const spy = jest.spyOn(TypedContainer.prototype, 'resolve').mockImplementation(function <T>(this: TypedContainer, token: Token<T>): T {
    edges.push({ from: stack.at(-1) ?? null, to: token.name });
    stack.push(token.name);
    try {
      return original.call<TypedContainer, [Token<T>], T>(this, token);
    } finally {
      stack.pop();
    }
  });
  return { edges, restore: () => spy.mockRestore() };
}

describe('composition root', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'container-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));
  const testConfig = () => loadConfig({ NODE_ENV: 'test', HOST: '127.0.0.1', PORT: '0', DATA_DIR: dataDir, BCRYPT_ROUNDS: '4' });

  it('resolves every token it declares, each to one shared instance', async () => {
    const c = buildContainer(testConfig(), pino({ level: 'silent' }));
    try {
      for (const token of ALL) {
        const first: unknown = c.resolve(token);
        expect([token.name, first]).toEqual([token.name, expect.anything()]);
        expect(c.resolve(token)).toBe(first);
      }
    } finally {
      await c.resolve(TOKENS.Persistence).close();
    }
  });

  it('registers only what the running server resolves, directly or through what it resolves', async () => {
    const trace = traceResolves();
    try {
      const server = await startServer(testConfig(), pino({ level: 'silent' }));
      await server.close();
    } finally {
      trace.restore();
    }
    const resolved = new Set(trace.edges.map((edge) => edge.to));
    expect(ALL.map((token) => token.name).filter((name) => !resolved.has(name))).toEqual([]);
  });

  it('gives every use case that works on calls the live state’s room store', async () => {
    const c = buildContainer(testConfig(), pino({ level: 'silent' }));
    const trace = traceResolves();
    try {
      for (const token of ALL) c.resolve(token);
      expect(c.resolve(TOKENS.CallStore)).toBe(c.resolve(TOKENS.LiveState).rooms);
    } finally {
      trace.restore();
      await c.resolve(TOKENS.Persistence).close();
    }
    const dependsOn = (name: string) => new Set(trace.edges.filter((edge) => edge.from === name).map((edge) => edge.to));
    expect([...dependsOn(TOKENS.CallStore.name)]).toEqual([TOKENS.LiveState.name]);
    const callUseCases = [
      TOKENS.JoinCall,
      TOKENS.LeaveCall,
      TOKENS.SuspendParticipant,
      TOKENS.SweepDeadNodes,
      TOKENS.PostChat,
      TOKENS.UpdateMediaState,
      TOKENS.KickParticipant,
      TOKENS.MuteParticipant,
      TOKENS.SetCallOptions,
      TOKENS.TransferHost,
      TOKENS.EndCall,
      TOKENS.LiftBan,
      TOKENS.AdmitParticipant,
      TOKENS.DenyParticipant,
      TOKENS.CreateMeeting,
      TOKENS.GetMeeting,
    ];
    expect(callUseCases.filter((token) => !dependsOn(token.name).has(TOKENS.CallStore.name)).map((token) => token.name)).toEqual([]);
    // Signals read no store: they are routed by the rooms the notifier keeps (one publish per cross-node signal).
    expect([...dependsOn(TOKENS.RelaySignal.name)]).toEqual([TOKENS.SignalRouter.name]);
    expect([...dependsOn(TOKENS.SignalRouter.name)]).toEqual([TOKENS.SocketIoCallNotifier.name]);
    expect([...dependsOn(TOKENS.CallNotifier.name)]).toEqual([TOKENS.SocketIoCallNotifier.name]);
  });
});
