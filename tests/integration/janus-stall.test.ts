import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { JanusMediaServer } from '../../src/adapters/media/janus-media-server';

/** A "Janus" that completes the WebSocket upgrade and then never says another word, as a stalled process would. */
async function silentJanus() {
  const sockets: Socket[] = [];
  const server = createServer((socket) => {
    sockets.push(socket);
    socket.once('data', (data) => {
      const key = /Sec-WebSocket-Key: (.*)\r\n/i.exec(data.toString())?.[1]?.trim() ?? '';
      const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
      socket.write(
        `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\nSec-WebSocket-Protocol: janus-protocol\r\n\r\n`,
      );
      socket.on('data', () => {});
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () => {
      sockets.forEach((socket) => socket.destroy());
      server.close();
    },
  };
}

describe('JanusMediaServer against a Janus that stalls after the WebSocket upgrade', () => {
  it('answers health and requests within its deadline, not when the close handshake gives up', async () => {
    const janus = await silentJanus();
    const media = new JanusMediaServer({ url: janus.url, requestTimeoutMs: 500, maxPublishers: 10 });
    try {
      let started = Date.now();
      expect(await media.isHealthy()).toBe(false);
      expect(Date.now() - started).toBeLessThan(3000);
      started = Date.now();
      await expect(media.openRoom({ callId: 'c1', key: media.newRoomKey() })).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      await media.close();
      janus.stop();
    }
  });
});
