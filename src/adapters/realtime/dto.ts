import type { ChatMessage, Participant } from '../../domain/call';
import type { ChatMessageDto, ParticipantDto } from './protocol';

export function participantDto(participant: Participant): ParticipantDto {
  const dto: ParticipantDto = { id: participant.id, name: participant.name, media: participant.media };
  if (participant.userId) dto.userId = participant.userId;
  return dto;
}

export function chatMessageDto(message: ChatMessage): ChatMessageDto {
  return {
    id: message.id,
    data: message.text,
    sender: message.sender,
    senderId: message.senderId,
    ts: message.ts.toISOString(),
  };
}
