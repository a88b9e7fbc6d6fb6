import { CryptoMeetingCodeGenerator } from '../../src/adapters/system/crypto-meeting-code-generator';
import { MeetingCode } from '../../src/domain/meeting-code';

describe('MeetingCode.fromJoinPath', () => {
  it.each([
    ['http://host:3000/standup/', 'standup'],
    ['http://a/x', 'x'],
    ['http://a/x/', 'x'],
    ['https://meet.example/team/standup//', 'standup'],
    ['http://a/x?room=y#z', 'x'],
    ['HTTP://A/x', 'x'],
  ])('keys the URL %s by the last segment of its path: %s', (path, code) => {
    expect(MeetingCode.fromJoinPath(path)).toBe(code);
  });

  it('keeps the segment as the URL shows it: case kept, percent-encoding not decoded', () => {
    expect(MeetingCode.fromJoinPath('http://a/Stand%20Up')).toBe('Stand%20Up');
    expect(MeetingCode.fromJoinPath('http://a/Stand Up')).toBe('Stand%20Up');
  });

  it('keys a URL without a path segment by the URL less its trailing slashes', () => {
    expect(MeetingCode.fromJoinPath('http://host:3000/')).toBe('http://host:3000');
    expect(MeetingCode.fromJoinPath('http://host:3000//')).toBe('http://host:3000');
    expect(MeetingCode.fromJoinPath('https://host')).toBe('https://host');
  });

  it('keys anything that is not an http(s) URL by itself', () => {
    for (const path of ['standup', 'x', 'room/with/slashes/', ' spaced ', 'mailto:a@b.c', 'room:1', 'myapp://host/standup', '/standup']) {
      expect(MeetingCode.fromJoinPath(path)).toBe(path);
    }
  });
});

describe('MeetingCode.linkSafe', () => {
  it('accepts 3-64 lowercase letters, digits and inner hyphens', () => {
    for (const code of ['abc', 'abc-defg-hij', 'team-42', '1on1', 'a'.repeat(64)]) expect(MeetingCode.linkSafe.problem(code)).toBeNull();
  });

  it('refuses codes that are not safe in a link as they are, in plain words', () => {
    for (const code of ['ab', 'a'.repeat(65), 'Standup', '-abc', 'abc-', 'a_b', 'a b', 'a/b', 'ünï', '', 'abc\n']) {
      expect(MeetingCode.linkSafe.problem(code)).toBe('must be 3-64 lowercase letters, digits or hyphens, starting and ending with a letter or digit');
    }
  });
});

describe('CryptoMeetingCodeGenerator', () => {
  it('makes abc-defg-hij codes that pass the link rule, and does not repeat itself', () => {
    const generator = new CryptoMeetingCodeGenerator();
    const codes = Array.from({ length: 1000 }, () => generator.next());
    for (const code of codes) {
      expect(code).toMatch(/^[a-z]{3}-[a-z]{4}-[a-z]{3}$/);
      expect(MeetingCode.linkSafe.problem(code)).toBeNull();
    }
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('draws every letter of the alphabet, in every position', () => {
    const generator = new CryptoMeetingCodeGenerator();
    const seen = Array.from({ length: 12 }, () => new Set<string>());
    for (let i = 0; i < 3000; i += 1) [...generator.next()].forEach((char, index) => seen[index]?.add(char));
    expect(seen.map((letters) => letters.size)).toEqual([26, 26, 26, 1, 26, 26, 26, 26, 1, 26, 26, 26]);
  });
});
