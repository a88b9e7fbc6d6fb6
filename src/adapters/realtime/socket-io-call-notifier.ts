import type { CallEvent, CallNotifier } from '../../application/ports/call-notifier';
import type { SignalDelivery, SignalEvent, SignalRouter } from '../../application/ports/signal-router';
import { chatMessageDto, lobbyEntryDto, participantDto } from './dto';
import type { RealtimeServer } from './socket-server';

type Target = Pick<ReturnType<RealtimeServer['to']>, 'emit'>;

/**
 * Every socket is in a room named by its id; a call is the room `call:<callId>`. A participant in a call is also in
 * the room memberRoom(callId, participantId), which it leaves with the call: a signal is sent to that room, so the node
 * holding the target delivers it only if the target is in that call as that node knows it (one publish, no read).
 */
export class SocketIoCallNotifier implements CallNotifier, SignalRouter {
  /** Participants that resumed on a socket of this node, by participant id: their socket's id is not theirs. */
  private readonly resumedHere = new Map<string, string>();

  constructor(private readonly io: RealtimeServer) {}

  // The node that holds the socket joins it to the rooms itself: nothing is broadcast to other nodes for it.
  // Otherwise one request reaches the node holding it, which applies it before anything published after it.
  async attach(participantId: string, callId: string): Promise<void> {
    const rooms = [callRoom(callId), memberRoom(callId, participantId)];
    const local = this.localSocket(participantId);
    if (local) await local.join(rooms);
    else this.io.in(participantId).socketsJoin(rooms);
  }

  async detach(participantId: string, callId: string): Promise<void> {
    const rooms = [callRoom(callId), memberRoom(callId, participantId)];
    const local = this.localSocket(participantId);
    if (local) for (const room of rooms) await local.leave(room);
    else this.io.in(participantId).socketsLeave(rooms);
  }

  // A socket is in one call room at most (a join detaches the previous call first); more would be a bug: none is
  // answered, so that such a socket reaches no one.
  callOf(participantId: string): string | null {
    const local = this.localSocket(participantId);
    if (!local) return null;
    let found: string | null = null;
    for (const room of local.rooms) {
      if (!isCallRoom(room)) continue;
      if (found !== null) return null;
      found = callOfRoom(room);
    }
    return found;
  }

  toMember(callId: string, toId: string, event: SignalEvent): SignalDelivery {
    const room = memberRoom(callId, toId);
    const local = this.localSocket(toId);
    if (local) {
      if (!local.rooms.has(room)) return 'absent';
      local.emit('signal', event.fromId, event.message);
      return 'delivered';
    }
    // Not connected here: held by another node, or by none (a dropped connection in its reconnect grace, an unknown
    // id). Alike on one node and on several, so that a peer's reconnect never turns its candidates into errors.
    this.io.to(room).emit('signal', event.fromId, event.message);
    return 'forwarded';
  }

  // The resuming socket joins the room named by the participant id, which is how other nodes reach a participant.
  async rebind(participantId: string, connectionId: string): Promise<void> {
    const socket = this.io.sockets.sockets.get(connectionId);
    if (!socket) return;
    this.resumedHere.set(participantId, connectionId);
    socket.once('disconnect', () => {
      if (this.resumedHere.get(participantId) === connectionId) this.resumedHere.delete(participantId);
    });
    await socket.join(participantId);
  }

  // Every socket is in the room of its own id, on whichever node holds it; the new connection joins the room of the
  // participant's id, which may be the old connection's id, and the Redis adapter applies a disconnect to the sending
  // node too, later: the new connection is excepted by name.
  closeReplaced(connectionId: string, by: string): void {
    const local = this.io.sockets.sockets.get(connectionId);
    if (local) {
      local.emit('connection-replaced', { reason: 'resumed-elsewhere' });
      local.disconnect(true);
      return;
    }
    this.io.to(connectionId).except(by).emit('connection-replaced', { reason: 'resumed-elsewhere' });
    this.io.in(connectionId).except(by).disconnectSockets(true);
  }

  toParticipant(participantId: string, event: CallEvent): void {
    // A socket on this node is written to directly: setting up a room broadcast costs more than the signal itself.
    emit(this.localSocket(participantId) ?? this.io.to(participantId), event);
  }

  private localSocket(participantId: string) {
    const resumed = this.resumedHere.get(participantId);
    return this.io.sockets.sockets.get(resumed ?? participantId);
  }

  toCall(callId: string, event: CallEvent, exceptParticipantId?: string): void {
    const room = this.io.to(callRoom(callId));
    emit(exceptParticipantId ? room.except(exceptParticipantId) : room, event);
  }
}

const CALL_ROOM_PREFIX = 'call:';

export function callRoom(callId: string): string {
  return `${CALL_ROOM_PREFIX}${callId}`;
}

export function isCallRoom(room: string): boolean {
  return room.startsWith(CALL_ROOM_PREFIX);
}

const MEMBER_ROOM_PREFIX = 'signal-to:';

/** The room of one participant in one call: what a signal for it in that call is sent to. JSON keeps the pair unambiguous. */
export function memberRoom(callId: string, participantId: string): string {
  return `${MEMBER_ROOM_PREFIX}${JSON.stringify([callId, participantId])}`;
}

export function isMemberRoom(room: string): boolean {
  return room.startsWith(MEMBER_ROOM_PREFIX);
}

/** The call of a room that isCallRoom. */
export function callOfRoom(room: string): string {
  return room.slice(CALL_ROOM_PREFIX.length);
}

function emit(target: Target, event: CallEvent): void {
  switch (event.type) {
    case 'user-joined':
      target.emit('user-joined', event.id, event.participants.map((p) => p.id), event.participants.map(participantDto));
      return;
    case 'signal':
      target.emit('signal', event.fromId, event.message);
      return;
    case 'chat-message': {
      const { data, sender, senderId, ...meta } = chatMessageDto(event.message);
      target.emit('chat-message', data, sender, senderId, meta);
      return;
    }
    case 'media-state':
      target.emit('media-state', event.id, event.state);
      return;
    case 'user-left':
      target.emit('user-left', event.id);
      return;
    case 'role-changed':
      target.emit('role-changed', event.id, event.role);
      return;
    case 'kicked':
      target.emit('kicked', { by: event.by, banned: event.banned });
      return;
    case 'muted':
      target.emit('muted', { by: event.by, kind: event.kind, force: event.force });
      return;
    case 'call-options':
      target.emit('call-options', event.options);
      return;
    case 'call-ended':
      target.emit('call-ended', { by: event.by });
      return;
    case 'participant-reconnecting':
      target.emit('participant-reconnecting', event.id);
      return;
    case 'participant-reconnected':
      target.emit('participant-reconnected', event.id);
      return;
    case 'lobby-knock':
      target.emit('lobby-knock', lobbyEntryDto(event.knock));
      return;
    case 'admitted': {
      const { callId, self, participants, history, options, resumeToken, media } = event.admission;
      target.emit('admitted', {
        callId,
        self: participantDto(self),
        participants: participants.map(participantDto),
        history: history.map(chatMessageDto),
        iceServers: event.iceServers,
        options,
        media: { path: media.path },
        ...(resumeToken === null ? {} : { resumeToken }),
      });
      return;
    }
    case 'denied':
      target.emit('denied');
      return;
    case 'media-path':
      target.emit('media-path', { path: event.path, reason: event.reason });
      return;
    case 'sfu-publisher':
      target.emit('sfu-publisher', { id: event.id });
      return;
    case 'speaking':
      target.emit('speaking', event.id, event.talking);
      return;
    case 'reaction':
      target.emit('reaction', event.id, event.reaction);
      return;
  }
}
