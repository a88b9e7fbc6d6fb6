import type { Clock } from '../../../application/ports/clock';
import type {
  ChatDraft,
  Eviction,
  JoinRequest,
  JoinResult,
  LeaveResult,
  Membership,
  NodeStanding,
  RoomStore,
  SignalRoute,
} from '../../../application/ports/room-store';
import { GuestName, type ChatMessage, type MediaState, type Participant } from '../../../domain/call';
import { DomainError } from '../../../domain/errors';

interface CallRecord {
  participants: Map<string, Participant>;
  chat: ChatMessage[];
  startedAt: Date;
  peakSize: number;
}

interface ParkedChat {
  messages: ChatMessage[];
  bytes: number;
  expiresAt: number;
}

export interface InMemoryRoomStoreOptions {
  /** How long an emptied call's chat is kept. */
  historyTtlMs: number;
  /** Bytes of chat (as counted by chatMessageBytes) kept across all calls; the oldest goes first past it. */
  chatMemoryLimitBytes: number;
  clock: Clock;
}

/** What a message is counted as: the UTF-8 size of its strings plus a fixed overhead for the object. */
export function chatMessageBytes(message: ChatMessage): number {
  const strings = [message.id, message.text, message.sender, message.senderId, message.userId ?? ''];
  return strings.reduce((sum, value) => sum + Buffer.byteLength(value), 0) + 64;
}

/**
 * Maps only: every operation touches a constant number of entries, never all calls. Synchronous inside, so each
 * method is atomic on this node.
 * Chat of an emptied call is parked with an expiry; since the TTL is fixed, the parked map is in expiry order:
 * one timer, armed for the first entry, drops histories when they expire, and walks only those that did.
 * Past the chat memory limit, parked histories go first (oldest first), then the oldest messages of live calls
 * (those of the call whose chat began first).
 */
export class InMemoryRoomStore implements RoomStore {
  private readonly calls = new Map<string, CallRecord>();
  private readonly callOfParticipant = new Map<string, string>();
  private readonly parked = new Map<string, ParkedChat>();
  /** Live calls that hold chat, in the order their chat began. */
  private readonly chatty = new Set<string>();
  private bytes = 0;
  private expiryTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: InMemoryRoomStoreOptions) {}

  /** Bytes of chat held now, across live and parked calls. */
  get chatBytes(): number {
    return this.bytes;
  }

  async join(request: JoinRequest): Promise<JoinResult> {
    const { callId, capacity } = request;
    const now = this.options.clock.now();
    this.dropExpired(now);
    const current = this.callOfParticipant.get(request.participant.id);
    const existing = this.calls.get(callId);
    const alreadyIn = current === callId;
    if (existing && !alreadyIn && existing.participants.size >= capacity) {
      throw new DomainError('ROOM_FULL', `This call is full (${capacity} participants)`);
    }
    const previous = current === undefined ? null : this.leaveNow(request.participant.id, now);

    let call = this.calls.get(callId);
    if (!call) {
      call = { participants: new Map(), chat: this.unpark(callId), startedAt: now, peakSize: 0 };
      this.calls.set(callId, call);
      if (call.chat.length > 0) this.chatty.add(callId);
    }
    const self: Participant = { ...request.participant, media: { ...request.participant.media }, joinedAt: now };
    if (request.naming) self.name = GuestName.settle(request.naming, call.participants.values());
    call.participants.set(self.id, self);
    call.peakSize = Math.max(call.peakSize, call.participants.size);
    this.callOfParticipant.set(self.id, callId);
    return { self: copy(self), participants: roster(call), history: call.chat.map((m) => ({ ...m })), previous };
  }

  async leave(participantId: string): Promise<LeaveResult | null> {
    const now = this.options.clock.now();
    this.dropExpired(now);
    return this.leaveNow(participantId, now);
  }

  async routeSignal(fromId: string, toId: string): Promise<SignalRoute> {
    const fromCall = this.callOfParticipant.get(fromId);
    if (fromCall === undefined) return 'sender-not-in-call';
    return fromId !== toId && this.callOfParticipant.get(toId) === fromCall ? 'deliver' : 'not-in-same-call';
  }

  async postChat(participantId: string, draft: ChatDraft, limit: number): Promise<{ callId: string; message: ChatMessage } | null> {
    const found = this.find(participantId);
    if (!found) return null;
    const { callId, call, participant } = found;
    if (participant.unnamed && draft.naming) {
      participant.name = GuestName.settle(draft.naming, call.participants.values());
      participant.nameKey = draft.naming.key;
      participant.unnamed = false;
    }
    const message: ChatMessage = {
      id: draft.id,
      text: draft.text,
      sender: participant.name,
      senderId: participant.id,
      userId: participant.userId,
      ts: this.options.clock.now(),
    };
    call.chat.push(message);
    this.bytes += chatMessageBytes(message);
    this.chatty.add(callId);
    while (call.chat.length > limit) this.dropOldestOf(callId, call);
    this.keepWithinMemoryLimit();
    return { callId, message: { ...message } };
  }

  async setMedia(participantId: string, change: Partial<MediaState>): Promise<Membership | null> {
    const found = this.find(participantId);
    if (!found) return null;
    found.participant.media = { ...found.participant.media, ...change };
    return { callId: found.callId, participant: copy(found.participant) };
  }

  // This process is the only node that can see this store: it cannot find itself dead.
  async heartbeat(): Promise<NodeStanding> {
    return 'alive';
  }

  async evictDeadNodes(): Promise<Eviction[]> {
    return [];
  }

  private leaveNow(participantId: string, now: Date): LeaveResult | null {
    const callId = this.callOfParticipant.get(participantId);
    const call = callId === undefined ? undefined : this.calls.get(callId);
    const participant = call?.participants.get(participantId);
    if (callId === undefined || !call || !participant) return null;
    this.callOfParticipant.delete(participantId);
    call.participants.delete(participantId);
    const left = { callId, participant: copy(participant), at: now };
    if (call.participants.size > 0) return { ...left, remaining: roster(call), ended: null };

    this.calls.delete(callId);
    this.chatty.delete(callId);
    if (call.chat.length > 0) this.park(callId, call.chat, now.getTime() + this.options.historyTtlMs);
    return { ...left, remaining: [], ended: { callId, startedAt: call.startedAt, endedAt: now, peakSize: call.peakSize } };
  }

  /** The stored (mutable) participant and their call; callers copy before handing it out. */
  private find(participantId: string): { callId: string; call: CallRecord; participant: Participant } | null {
    const callId = this.callOfParticipant.get(participantId);
    const call = callId === undefined ? undefined : this.calls.get(callId);
    const participant = call?.participants.get(participantId);
    return callId !== undefined && call && participant ? { callId, call, participant } : null;
  }

  private park(callId: string, messages: ChatMessage[], expiresAt: number): void {
    this.parked.set(callId, { messages, bytes: messages.reduce((sum, m) => sum + chatMessageBytes(m), 0), expiresAt });
    this.armExpiry();
  }

  private unpark(callId: string): ChatMessage[] {
    const parked = this.parked.get(callId);
    this.parked.delete(callId);
    return parked?.messages ?? [];
  }

  private dropParked(callId: string, parked: ParkedChat): void {
    this.parked.delete(callId);
    this.bytes -= parked.bytes;
  }

  private dropOldestOf(callId: string, call: CallRecord): void {
    const oldest = call.chat.shift();
    if (oldest) this.bytes -= chatMessageBytes(oldest);
    if (call.chat.length === 0) this.chatty.delete(callId);
  }

  private keepWithinMemoryLimit(): void {
    while (this.bytes > this.options.chatMemoryLimitBytes) {
      const [parkedId, parked] = this.parked.entries().next().value ?? [];
      if (parkedId !== undefined && parked) {
        this.dropParked(parkedId, parked);
        continue;
      }
      const callId = this.chatty.values().next().value;
      const call = callId === undefined ? undefined : this.calls.get(callId);
      if (callId === undefined || !call) return;
      this.dropOldestOf(callId, call);
    }
  }

  private dropExpired(now: Date): void {
    for (const [callId, parked] of this.parked) {
      if (parked.expiresAt > now.getTime()) return;
      this.dropParked(callId, parked);
    }
  }

  /** One timer at a time, for the first parked history; when it fires it drops what expired and re-arms. */
  private armExpiry(): void {
    if (this.expiryTimer) return;
    const first = this.parked.values().next().value;
    if (!first) return;
    this.expiryTimer = setTimeout(
      () => {
        this.expiryTimer = undefined;
        this.dropExpired(this.options.clock.now());
        this.armExpiry();
      },
      Math.max(0, first.expiresAt - this.options.clock.now().getTime()),
    );
    this.expiryTimer.unref();
  }
}

function copy(participant: Participant): Participant {
  return { ...participant, media: { ...participant.media }, joinedAt: new Date(participant.joinedAt) };
}

function roster(call: CallRecord): Participant[] {
  return [...call.participants.values()].map(copy);
}
