import type { Socket } from 'socket.io-client';
import type { MeetSocket } from './signaling';

/**
 * The SFU's `speaking(id, talking)`: who Janus hears talking. Read off the untyped socket and checked, so the page
 * works with servers that do not send it yet (the speaker then comes from the levels the page measures).
 */
export function onSpeaking(socket: MeetSocket, listener: (id: string, talking: boolean) => void): void {
  const untyped: Socket = socket;
  untyped.on('speaking', (id: unknown, talking: unknown) => {
    if (typeof id === 'string' && typeof talking === 'boolean') listener(id, talking);
  });
}
