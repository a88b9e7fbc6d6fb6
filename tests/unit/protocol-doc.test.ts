import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { argumentsOf, clientEvents, serverEvents } from '../../src/adapters/realtime/protocol';

const DOC = readFileSync(resolve(__dirname, '../../docs/protocol.md'), 'utf8');

/** `event -> "(a, b?)"` from the first table under `heading` in docs/protocol.md. */
function documented(heading: string): Record<string, string> {
  const section = DOC.split(`## ${heading}\n`)[1]?.split('\n## ')[0] ?? '';
  const rows = section.split('\n').filter((line) => /^\| `[\w-]+` \| `\(/.test(line));
  return Object.fromEntries(
    rows.map((line) => {
      const [, event = '', args = ''] = /^\| `([\w-]+)` \| `(\([^`]*\))`/.exec(line) ?? [];
      return [event, args];
    }),
  );
}

/** `"(a, b?)"` from a tuple schema: a trailing `?` where the argument may be left out. */
function signature(tuple: z.ZodTuple): string {
  const names = argumentsOf(tuple).map(({ name }, index) => {
    const item = tuple.def.items[index];
    return item && z.safeParse(item, undefined).success ? `${name}?` : name;
  });
  return `(${names.join(', ')})`;
}

describe('docs/protocol.md', () => {
  it('lists every client event with the arguments of the protocol table', () => {
    const table = Object.fromEntries(Object.entries(clientEvents).map(([event, spec]) => [event, signature(spec.args)]));
    expect(documented('Client → server')).toEqual(table);
    expect(table['join-call']).toBe('(path, opts?)');
  });

  it('lists every server event with the arguments of the protocol table', () => {
    const table = Object.fromEntries(Object.entries(serverEvents).map(([event, args]) => [event, signature(args)]));
    expect(documented('Server → client')).toEqual(table);
    expect(table['chat-message']).toBe('(data, sender, senderId, meta)');
  });
});
