import { batchedLines } from '../../src/main/logger';

describe('batchedLines', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('writes the lines of a few milliseconds together, in order, and nothing before', () => {
    const writes: string[] = [];
    const log = batchedLines({ write: (chunk: string) => writes.push(chunk) });
    log.write('a\n');
    log.write('b\n');
    expect(writes).toEqual([]);
    jest.advanceTimersByTime(5);
    expect(writes).toEqual(['a\nb\n']);
    log.write('c\n');
    jest.advanceTimersByTime(5);
    expect(writes).toEqual(['a\nb\n', 'c\n']);
  });

  it('writes a batch at once when it grows large', () => {
    const writes: string[] = [];
    const log = batchedLines({ write: (chunk: string) => writes.push(chunk) });
    const line = `${'x'.repeat(1023)}\n`;
    for (let i = 0; i < 64; i += 1) log.write(line);
    expect(writes).toEqual([line.repeat(64)]);
    jest.advanceTimersByTime(5);
    expect(writes).toHaveLength(1);
  });
});
