import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';

const SRC = resolve(__dirname, '../../src');
const IMPORT = /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : path.endsWith('.ts') ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(IMPORT)].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
}

/** Each layer may import only from the layers listed; bare package names are never allowed in the core. */
const ALLOWED: Record<string, string[]> = {
  domain: ['domain'],
  application: ['domain', 'application'],
};

/** Every import under `root/layer` that the rule forbids, as "file imports spec". */
function violations(root: string, layer: string, allowed: readonly string[]): string[] {
  return filesUnder(join(root, layer)).flatMap((file) =>
    importsOf(file)
      .filter((spec) => {
        if (!spec.startsWith('.')) return true;
        const target = relative(root, resolve(dirname(file), spec)).split(/[\\/]/)[0] ?? '';
        return !allowed.includes(target);
      })
      .map((spec) => `${relative(root, file)} imports ${spec}`),
  );
}

describe('dependency rule', () => {
  for (const [layer, allowed] of Object.entries(ALLOWED)) {
    it(`src/${layer} imports only ${allowed.join(' and ')}, no framework, driver or adapter`, () => {
      expect(filesUnder(join(SRC, layer)).length).toBeGreaterThan(0);
      expect(violations(SRC, layer, allowed)).toEqual([]);
    });
  }

  it('rejects a deliberate bad import in the core: a package, an adapter and a dynamic import', () => {
    const root = mkdtempSync(join(tmpdir(), 'arch-'));
    try {
      mkdirSync(join(root, 'application', 'use-cases'), { recursive: true });
      writeFileSync(
        join(root, 'application', 'use-cases', 'bad.ts'),
        [
          "import type { Context } from 'koa';",
          "import { SqliteUserRepository } from '../../adapters/persistence/sqlite/sqlite-user-repository';",
          "import { DomainError } from '../../domain/errors';",
          "const lazy = () => import('../../main/container');",
        ].join('\n'),
      );
      expect(violations(root, 'application', ALLOWED.application ?? [])).toEqual([
        'application/use-cases/bad.ts imports koa',
        'application/use-cases/bad.ts imports ../../adapters/persistence/sqlite/sqlite-user-repository',
        'application/use-cases/bad.ts imports ../../main/container',
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('keeps container.resolve inside src/main', () => {
    const outside = filesUnder(SRC)
      .filter((file) => !relative(SRC, file).startsWith('main'))
      .filter((file) => /\.resolve\s*[<(]/.test(readFileSync(file, 'utf8')) && /tsyringe|typed-container/.test(readFileSync(file, 'utf8')));
    expect(outside).toEqual([]);
  });
});
