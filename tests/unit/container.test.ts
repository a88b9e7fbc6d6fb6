import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pino from 'pino';
import { loadConfig } from '../../src/config/env';
import { buildContainer } from '../../src/main/container';
import { TOKENS, type Token } from '../../src/main/tokens';

const MAIN = resolve(__dirname, '../../src/main');

describe('composition root', () => {
  it('resolves every token it declares, each to one shared instance', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'container-'));
    const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, BCRYPT_ROUNDS: '4' });
    const c = buildContainer(config, pino({ level: 'silent' }));
    try {
      const tokens: Array<Token<unknown>> = Object.values(TOKENS);
      for (const token of tokens) {
        const first: unknown = c.resolve(token);
        expect([token.name, first]).toEqual([token.name, expect.anything()]);
        expect(c.resolve(token)).toBe(first);
      }
    } finally {
      await c.resolve(TOKENS.Persistence).close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('registers only what the composition root resolves', () => {
    const source = readdirSync(MAIN)
      .map((file) => readFileSync(join(MAIN, file), 'utf8'))
      .join('\n');
    const neverResolved = Object.keys(TOKENS).filter((name) => !source.includes(`resolve(TOKENS.${name})`));
    expect(neverResolved).toEqual([]);
  });
});
