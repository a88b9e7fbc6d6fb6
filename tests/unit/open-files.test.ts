import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openFilesLimit, socketCapacity } from '../../src/main/open-files';

const LIMITS = `Limit                     Soft Limit           Hard Limit           Units
Max cpu time              unlimited            unlimited            seconds
Max open files            20000                20000                files
Max locked memory         8388608              8388608              bytes
`;

describe('openFilesLimit', () => {
  const file = (text: string) => {
    const path = join(mkdtempSync(join(tmpdir(), 'limits-')), 'limits');
    writeFileSync(path, text);
    return path;
  };

  it('reads the soft limit on open files', () => expect(openFilesLimit(file(LIMITS))).toBe(20000));
  it('is null when unlimited, absent or unreadable', () => {
    expect(openFilesLimit(file(LIMITS.replace('20000                20000', 'unlimited            unlimited')))).toBeNull();
    expect(openFilesLimit(file('nothing here'))).toBeNull();
    expect(openFilesLimit('/nonexistent/limits')).toBeNull();
  });
  it('reads this process’s own limit on Linux', () => {
    if (process.platform === 'linux') expect(openFilesLimit()).toBeGreaterThan(0);
  });
});

describe('socketCapacity', () => {
  it.each([
    ['a configured number stays', 500, 20000, 500],
    ['auto keeps 5% back', 'auto', 20000, 19000],
    ['auto keeps at least 64 back', 'auto', 256, 192],
    ['auto without a known limit has none', 'auto', null, Number.POSITIVE_INFINITY],
    ['auto never goes below one', 'auto', 10, 1],
  ] as const)('%s', (_what, configured, limit, expected) => {
    expect(socketCapacity(configured, limit)).toBe(expected);
  });
});
