/**
 * The floor for bench:signal and bench:cluster: a bare Socket.IO relay of the same protocol with no auth, no
 * validation, no limits and no store beyond Socket.IO's own rooms. With REDIS_URL, nodes of it are joined by the
 * official @socket.io/redis-adapter (ioredis), as issue 21's floor: a signal is one PUBLISH, checked only for "the
 * sender is in a call". Prints its port on stdout.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdapter, createShardedAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import { Server } from 'socket.io';

const redisUrl = process.env.REDIS_URL;
/**
 * FLOOR_ADAPTER=sharded: the sharded adapter (Redis 7 SPUBLISH/SSUBSCRIBE) with a channel per room, private rooms
 * included ('dynamic-private'), so that a signal to a socket's id reaches only the node holding it, as a signal to
 * a member room of ours would with 'dynamic'.
 */
const sharded = process.env.FLOOR_ADAPTER === 'sharded';
function adapterOf(url: string) {
  if (sharded) return createShardedAdapter(new Redis(url), new Redis(url), { channelPrefix: 'floor-sharded#socket.io', subscriptionMode: 'dynamic-private' });
  return createAdapter(new Redis(url), new Redis(url), { key: 'floor#socket.io' });
}
const httpServer = createServer();
const io = new Server(httpServer, {
  maxHttpBufferSize: 128 * 1024,
  ...(redisUrl ? { adapter: adapterOf(redisUrl) } : {}),
});
const history = new Map<string, unknown[][]>();

io.on('connection', (socket) => {
  let room: string | undefined;
  socket.on('join-call', (path: string, ...rest: unknown[]) => {
    const ack = rest.find((arg) => typeof arg === 'function') as ((r: object) => void) | undefined;
    if (room) void socket.leave(room);
    room = path;
    void socket.join(path);
    const clients = [...(io.sockets.adapter.rooms.get(path) ?? [])];
    io.to(path).emit('user-joined', socket.id, clients);
    for (const message of history.get(path) ?? []) socket.emit('chat-message', ...message);
    ack?.({ ok: true, callId: path, participants: clients });
  });
  socket.on('signal', (toId: string, message: unknown, ack?: unknown) => {
    const reply = typeof ack === 'function' ? (ack as (r: object) => void) : undefined;
    if (!room) {
      reply?.({ ok: false, error: { code: 'NOT_IN_CALL', message: 'Join a call before signalling' } });
      return;
    }
    io.to(toId).emit('signal', socket.id, message);
    reply?.({ ok: true });
  });
  socket.on('chat-message', (data: string, sender: string) => {
    if (!room) return;
    const list = history.get(room) ?? [];
    list.push([data, sender, socket.id]);
    history.set(room, list);
    socket.to(room).emit('chat-message', data, sender, socket.id);
  });
  socket.on('disconnect', () => {
    if (room) io.to(room).emit('user-left', socket.id);
  });
});

httpServer.listen(0, '127.0.0.1', () => {
  console.log(`floor listening on http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`);
});
process.on('SIGTERM', () => {
  void io.close();
  process.exit(0);
});
