import { once } from 'node:events';
import { connect as tcpConnect, type Socket as TcpSocket } from 'node:net';
import { io } from 'socket.io-client';
import type { CallClient } from '../support/socket-client';
import { startTestServer, type TestServer } from '../support/test-server';

/** A raw client connection: what it has read so far, and when the server has ended it. */
function rawClient(port: number): { socket: TcpSocket; received: () => string; ended: Promise<unknown> } {
  const socket = tcpConnect(port, '127.0.0.1');
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
  return { socket, received: () => received, ended: once(socket, 'end') };
}

describe('shutting down', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startTestServer();
  });
  afterEach(() => server.destroy());

  it('tells connected sockets it is going, then drops them so that stock clients reconnect by themselves', async () => {
    // Unlike tests/support connect(): a client as browsers use it, with reconnection on.
    const client: CallClient = io(server.url, { transports: ['websocket'], forceNew: true, reconnectionDelay: 10, reconnectionDelayMax: 10 });
    await new Promise((resolve) => client.once('connect', () => resolve(undefined)));
    const seen: unknown[] = [];
    client.on('server-shutdown', (info) => seen.push(['server-shutdown', info]));
    client.on('disconnect', (reason) => seen.push(['disconnect', reason]));
    const reconnecting = new Promise((resolve) => client.io.once('reconnect_attempt', resolve));

    await server.close();
    await reconnecting;
    client.close();

    // 'io server disconnect' would leave the client disconnected for good; 'transport close' makes it reconnect.
    expect(seen).toEqual([
      ['server-shutdown', { reconnect: true }],
      ['disconnect', 'transport close'],
    ]);
  });

  it('ends keep-alive connections with their last response instead of letting them idle open', async () => {
    const body = JSON.stringify({ username: 'nobody', password: 'whatever123' });
    const login = (part: string) =>
      `POST /api/v1/users/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${part}`;

    // One connection idle after a complete keep-alive exchange...
    const idle = rawClient(server.port);
    idle.socket.write(login(body));
    while (!idle.received().includes('INVALID_CREDENTIALS')) await once(idle.socket, 'data');
    expect(idle.received()).toContain('Connection: keep-alive');

    // ...and one whose request is still arriving when shutdown begins.
    const busy = rawClient(server.port);
    const requestStarted = once(server.app.httpServer, 'request');
    busy.socket.write(login(body.slice(0, 5)));
    await requestStarted;
    const closed = server.close();
    busy.socket.write(body.slice(5));

    await closed;
    await Promise.all([idle.ended, busy.ended]);
    // The in-flight request still gets its answer, which now ends the connection rather than keeping it alive.
    expect(busy.received()).toMatch(/^HTTP\/1\.1 401 /);
    expect(busy.received()).toContain('\r\nConnection: close\r\n');
    expect(busy.received()).not.toContain('Keep-Alive');
    idle.socket.destroy();
    busy.socket.destroy();
  });
});
