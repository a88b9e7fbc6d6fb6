import { readdirSync, readFileSync, statSync } from 'node:fs';
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

describe('dependency rule', () => {
  for (const [layer, allowed] of Object.entries(ALLOWED)) {
    it(`src/${layer} imports only ${allowed.join(' and ')}, no framework, driver or adapter`, () => {
      const files = filesUnder(join(SRC, layer));
      expect(files.length).toBeGreaterThan(0);
      const violations = files.flatMap((file) =>
        importsOf(file)
          .filter((spec) => {
            if (!spec.startsWith('.')) return true;
            const target = relative(SRC, resolve(dirname(file), spec)).split(/[\\/]/)[0] ?? '';
            return !allowed.includes(target);
          })
          .map((spec) => `${relative(SRC, file)} imports ${spec}`),
      );
      expect(violations).toEqual([]);
    });
  }

  it('catches a forbidden import (the check itself works)', () => {
    expect(importsOf(join(SRC, 'adapters/http/create-http-app.ts'))).toContain('koa');
  });

  it('keeps container.resolve inside src/main', () => {
    const outside = filesUnder(SRC)
      .filter((file) => !relative(SRC, file).startsWith('main'))
      .filter((file) => /\.resolve\s*[<(]/.test(readFileSync(file, 'utf8')) && /tsyringe/.test(readFileSync(file, 'utf8')));
    expect(outside).toEqual([]);
  });
});
