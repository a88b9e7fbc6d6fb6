import type { Clock } from '../../../application/ports/clock';
import type { LeaveResult, RoomStore, SignalRoute } from '../../../application/ports/room-store';
import type { ChatMessage, MediaState, Participant } from '../../../domain/call';
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
 * Maps only: every operation touches a constant number of entries, never all calls.
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

  async join(callId: string, participant: Participant, capacity: number, now: Date): Promise<Participant[]> {
    this.dropExpired(now);
    let call = this.calls.get(callId);
    if (call && call.participants.size >= capacity) {
      throw new DomainError('ROOM_FULL', `This call is full (${capacity} participants)`);
    }
    if (!call) {
      call = { participants: new Map(), chat: this.unpark(callId), startedAt: now, peakSize: 0 };
      this.calls.set(callId, call);
      if (call.chat.length > 0) this.chatty.add(callId);
    }
    call.participants.set(participant.id, copy(participant));
    call.peakSize = Math.max(call.peakSize, call.participants.size);
    this.callOfParticipant.set(participant.id, callId);
    return roster(call);
  }

  async leave(participantId: string, now: Date): Promise<LeaveResult | null> {
    this.dropExpired(now);
    const callId = this.callOfParticipant.get(participantId);
    const call = callId === undefined ? undefined : this.calls.get(callId);
    if (callId === undefined || !call) return null;
    this.callOfParticipant.delete(participantId);
    call.participants.delete(participantId);
    if (call.participants.size > 0) return { callId, remaining: roster(call), ended: null };

    this.calls.delete(callId);
    this.chatty.delete(callId);
    if (call.chat.length > 0) this.park(callId, call.chat, now.getTime() + this.options.historyTtlMs);
    return { callId, remaining: [], ended: { callId, startedAt: call.startedAt, endedAt: now, peakSize: call.peakSize } };
  }

  async callOf(participantId: string): Promise<string | null> {
    return this.callOfParticipant.get(participantId) ?? null;
  }

  async routeSignal(fromId: string, toId: string): Promise<SignalRoute> {
    const fromCall = this.callOfParticipant.get(fromId);
    if (fromCall === undefined) return 'sender-not-in-call';
    return fromId !== toId && this.callOfParticipant.get(toId) === fromCall ? 'deliver' : 'not-in-same-call';
  }

  async membership(participantId: string): Promise<{ callId: string; participant: Participant } | null> {
    const found = this.find(participantId);
    return found ? { callId: found.callId, participant: copy(found.participant) } : null;
  }

  async participants(callId: string): Promise<Participant[]> {
    const call = this.calls.get(callId);
    return call ? roster(call) : [];
  }

  async appendChat(callId: string, message: ChatMessage, limit: number): Promise<void> {
    const call = this.calls.get(callId);
    if (!call) return;
    call.chat.push({ ...message });
    this.bytes += chatMessageBytes(message);
    this.chatty.add(callId);
    while (call.chat.length > limit) this.dropOldestOf(callId, call);
    this.keepWithinMemoryLimit();
  }

  async chatHistory(callId: string, now: Date): Promise<ChatMessage[]> {
    this.dropExpired(now);
    const messages = this.calls.get(callId)?.chat ?? this.parked.get(callId)?.messages ?? [];
    return messages.map((message) => ({ ...message }));
  }

  async setMedia(participantId: string, change: Partial<MediaState>): Promise<Participant | null> {
    const found = this.find(participantId);
    if (!found) return null;
    found.participant.media = { ...found.participant.media, ...change };
    return copy(found.participant);
  }

  async nameGuest(participantId: string, name: string): Promise<Participant | null> {
    const found = this.find(participantId);
    if (!found) return null;
    if (found.participant.unnamed) {
      found.participant.name = name;
      found.participant.unnamed = false;
    }
    return copy(found.participant);
  }

  /** The stored (mutable) participant and their call; callers copy before handing it out. */
  private find(participantId: string): { callId: string; participant: Participant } | null {
    const callId = this.callOfParticipant.get(participantId);
    const participant = callId === undefined ? undefined : this.calls.get(callId)?.participants.get(participantId);
    return callId !== undefined && participant ? { callId, participant } : null;
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
  return { ...participant, media: { ...participant.media } };
}

function roster(call: CallRecord): Participant[] {
  return [...call.participants.values()].map(copy);
}
