import { codeFromInput, codeFromPath, meetingLink } from '../../src/web/meeting-link';

describe('the web app reading a meeting from what was typed or pasted', () => {
  it.each([
    ['abc-defg-hij', 'abc-defg-hij'],
    ['  abc-defg-hij  ', 'abc-defg-hij'],
    ['http://localhost:3000/m/abc-defg-hij', 'abc-defg-hij'],
    ['https://meet.example/m/abc-defg-hij/?x=1#top', 'abc-defg-hij'],
    ['https://meet.example/standup', 'standup'],
    ['https://meet.example/rooms/standup/', 'standup'],
    ['HTTP://meet.example/m/team%20sync', 'team sync'],
    ['http://meet.example/', ''],
    ['', ''],
  ])('%j gives the code %j', (input, code) => {
    expect(codeFromInput(input)).toBe(code);
  });

  it('takes the code from a page path only when it is /m/<code>', () => {
    expect([codeFromPath('/m/abc'), codeFromPath('/m/abc/'), codeFromPath('/'), codeFromPath('/abc'), codeFromPath('/m/a/b')]).toEqual(['abc', 'abc', '', '', '']);
  });

  it('makes a link that leads back to the same code', () => {
    const link = meetingLink('http://127.0.0.1:3000', 'abc-defg-hij');
    expect(link).toBe('http://127.0.0.1:3000/m/abc-defg-hij');
    expect(codeFromInput(link)).toBe('abc-defg-hij');
  });
});
