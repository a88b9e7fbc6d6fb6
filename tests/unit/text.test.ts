import { utf8ByteLength } from '../../src/domain/text';

describe('utf8ByteLength', () => {
  it.each([
    ['', 0],
    ['ascii', 5],
    ['é', 2],
    ['€', 3],
    ['😀', 4],
    ['a😀é€', 10],
    ['\ud800', 3],
    ['\udc00x', 4],
    ['\ud83d\ud83d\ude00', 7],
    ['x'.repeat(1000), 1000],
  ])('counts %j as %i bytes, as Node encodes it', (text, bytes) => {
    expect(utf8ByteLength(text)).toBe(bytes);
    expect(utf8ByteLength(text)).toBe(Buffer.byteLength(text));
  });
});
