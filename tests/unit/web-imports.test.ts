import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const WEB = join(__dirname, '..', '..', 'src', 'web');

/** Every import of a module outside src/web, with whether it is `import type` (erased from the bundle). */
function outsideImports(): Array<{ file: string; statement: string; typeOnly: boolean }> {
  return readdirSync(WEB)
    .filter((file) => file.endsWith('.ts'))
    .flatMap((file) =>
      [...readFileSync(join(WEB, file), 'utf8').matchAll(/^import\s+(type\s+)?[^;]*?from\s+'(\.\.\/[^']+)';/gms)].map((match) => ({
        file,
        statement: match[0],
        typeOnly: match[1] !== undefined,
      })),
    );
}

describe('the web app', () => {
  it('takes only types from the server code, so no server module ends up in the browser bundle', () => {
    const imports = outsideImports();
    expect(imports.map(({ file }) => file)).toContain('call.ts');
    expect(imports.filter(({ typeOnly }) => !typeOnly)).toEqual([]);
  });
});
