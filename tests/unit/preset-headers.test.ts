import { createServer, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { API_SECURITY_HEADERS } from '../../src/adapters/http/create-http-app';
import { presetHeaders, setEachHeader, type HeaderPreset } from '../../src/adapters/http/preset-headers';
import { securityHeaderList, type FixedHeader } from '../../src/adapters/http/security-headers';

const FIXED: FixedHeader[] = [...securityHeaderList(API_SECURITY_HEADERS), ['Vary', 'Origin'], ['X-Multi', ['a', 'b']]];

/** What a handler does after the edge, as the app's middlewares would. */
const answers: Record<string, (res: ServerResponse) => void> = {
  json: (res) => {
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.end('{"status":"ok"}');
  },
  'page policy replacing the API one': (res) => {
    res.setHeader('Content-Security-Policy', "default-src 'self'");
    res.setHeader('Cache-Control', 'no-cache');
    res.end('<!doctype html>');
  },
  'CORS setting Vary again, in another case': (res) => {
    res.setHeader('vary', 'Origin');
    res.setHeader('Access-Control-Allow-Origin', 'http://localhost:5173');
    res.end('{}');
  },
  'no content': (res) => {
    res.statusCode = 204;
    res.end();
  },
  'explicit writeHead, then a stream of chunks': (res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.write('a');
    res.end('b');
  },
};

/** The raw header lines of one answer of a server that gives each response `preset`, then `answer`. */
async function rawHeaders(preset: HeaderPreset, answer: (res: ServerResponse) => void, method = 'GET'): Promise<string[][]> {
  const server = createServer((_req, res) => {
    preset(res, 'req-1');
    answer(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    return await new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, method, path: '/' }, (res) => {
        res.resume();
        const pairs: string[][] = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) pairs.push([res.rawHeaders[i]!, res.rawHeaders[i + 1]!]);
        resolve(pairs.filter(([name]) => name !== 'Date'));
      });
      req.on('error', reject);
      req.end();
    });
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

const sorted = (pairs: string[][]) => pairs.map(([name, value]) => `${name!.toLowerCase()}: ${value}`).sort();

describe('presetHeaders', () => {
  it.each(Object.keys(answers).flatMap((name) => [[name, 'GET'], [name, 'HEAD']]))(
    '%s (%s): the same header lines as setting each header, once each',
    async (name, method) => {
      const answer = answers[name]!;
      const preset = await rawHeaders(presetHeaders(FIXED), answer, method);
      const reference = await rawHeaders(setEachHeader(FIXED), answer, method);
      expect(sorted(preset)).toEqual(sorted(reference));
      expect(preset.filter(([header]) => header!.toLowerCase() === 'vary')).toHaveLength(1);
    },
  );

  it('keeps the order of setting each header when nothing replaces one', async () => {
    const preset = await rawHeaders(presetHeaders(FIXED), answers.json!);
    expect(preset).toEqual(await rawHeaders(setEachHeader(FIXED), answers.json!));
  });

  it('refuses a header Node’s writer must see, and a value that could split the answer', () => {
    expect(() => presetHeaders([['Connection', 'close']])).toThrow(/Connection/);
    expect(() => presetHeaders([['X-Bad', 'a\r\nInjected: yes']])).toThrow();
  });
});
