import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const DOCS = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)];

/** Relative targets of a Markdown file's links and images (no URL, no in-page anchor). */
function localTargets(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  return [...text.matchAll(/\]\(([^)\s#]+)(?:#[^)]*)?\)/g)].map((match) => match[1] ?? '').filter((target) => !/^[a-z]+:/i.test(target));
}

describe('the docs point at files that exist', () => {
  it.each(DOCS)('%s', (file) => {
    const missing = localTargets(file).filter((target) => !existsSync(resolve(ROOT, dirname(file), target)));
    expect(missing).toEqual([]);
  });

  it('finds the pictures of docs/using-the-app.md (the check reads what it should)', () => {
    expect(localTargets('docs/using-the-app.md').filter((target) => target.endsWith('.png')).length).toBeGreaterThanOrEqual(4);
  });
});
