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
  expiresAt: number;
}

/**
 * Maps only: every operation touches a constant number of entries, never all calls.
 * Chat of an emptied call is parked with an expiry; since the TTL is fixed, the parked map is in
 * expiry order, so dropping expired entries walks only those that expired.
 */
export class InMemoryRoomStore implements RoomStore {
  private readonly calls = new Map<string, CallRecord>();
  private readonly callOfParticipant = new Map<string, string>();
  private readonly parked = new Map<string, ParkedChat>();

  constructor(private readonly historyTtlMs: number) {}

  async join(callId: string, participant: Participant, capacity: number, now: Date): Promise<Participant[]> {
    this.dropExpired(now);
    let call = this.calls.get(callId);
    if (call && call.participants.size >= capacity) {
      throw new DomainError('ROOM_FULL', `This call is full (${capacity} participants)`);
    }
    if (!call) {
      call = { participants: new Map(), chat: this.unpark(callId), startedAt: now, peakSize: 0 };
      this.calls.set(callId, call);
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
    if (call.chat.length > 0) this.parked.set(callId, { messages: call.chat, expiresAt: now.getTime() + this.historyTtlMs });
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
    if (call.chat.length > limit) call.chat.splice(0, call.chat.length - limit);
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

  private unpark(callId: string): ChatMessage[] {
    const parked = this.parked.get(callId);
    this.parked.delete(callId);
    return parked?.messages ?? [];
  }

  private dropExpired(now: Date): void {
    for (const [callId, parked] of this.parked) {
      if (parked.expiresAt > now.getTime()) return;
      this.parked.delete(callId);
    }
  }
}

function copy(participant: Participant): Participant {
  return { ...participant, media: { ...participant.media } };
}

function roster(call: CallRecord): Participant[] {
  return [...call.participants.values()].map(copy);
}
