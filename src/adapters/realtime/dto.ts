import type { ChatMessage, Participant } from '../../domain/call';
import type { LobbyEntry } from '../../domain/lobby';
import type { ChatMessageDto, LobbyEntryDto, ParticipantDto } from './protocol';

function identity(userId: string | null): { userId: string } | { guest: true } {
  return userId === null ? { guest: true } : { userId };
}

export function participantDto(participant: Participant): ParticipantDto {
  return { id: participant.id, name: participant.name, ...identity(participant.userId), media: participant.media, role: participant.role, connected: participant.connected };
}

export function chatMessageDto(message: ChatMessage): ChatMessageDto {
  return {
    id: message.id,
    data: message.text,
    sender: message.sender,
    senderId: message.senderId,
    ts: message.ts.toISOString(),
    ...identity(message.userId),
  };
}

export function lobbyEntryDto(entry: LobbyEntry): LobbyEntryDto {
  return { id: entry.id, name: entry.name, ...identity(entry.userId) };
}
