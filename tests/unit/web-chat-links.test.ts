import { chatTokens, type ChatToken } from '../../src/web/chat-links';

const text = (value: string): ChatToken => ({ kind: 'text', text: value });
const link = (value: string, href = value): ChatToken => ({ kind: 'link', text: value, href });

describe('chat links', () => {
  it.each<[string, ChatToken[]]>([
    ['hello', [text('hello')]],
    ['', []],
    ['https://example.org', [link('https://example.org', 'https://example.org/')]],
    ['see http://a.test/x?y=1#z now', [text('see '), link('http://a.test/x?y=1#z'), text(' now')]],
    ['(https://example.org/a).', [text('('), link('https://example.org/a'), text(').')]],
    ['HTTPS://EXAMPLE.ORG/A', [link('HTTPS://EXAMPLE.ORG/A', 'https://example.org/A')]],
    ['javascript:alert(1)', [text('javascript:alert(1)')]],
    ['<img src=x onerror=alert(1)>', [text('<img src=x onerror=alert(1)>')]],
    ['data:text/html,<b>x</b>', [text('data:text/html,<b>x</b>')]],
    ['ftp://example.org and www.example.org', [text('ftp://example.org and www.example.org')]],
    ['https://', [text('https://')]],
    ['a https://x.test b https://y.test', [text('a '), link('https://x.test', 'https://x.test/'), text(' b '), link('https://y.test', 'https://y.test/')]],
    ['"https://x.test/<script>"', [text('"'), link('https://x.test/', 'https://x.test/'), text('<script>"')]],
  ])('%j', (message, tokens) => {
    expect(chatTokens(message)).toEqual(tokens);
  });
});
