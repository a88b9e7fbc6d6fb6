import type { ParticipantDraft } from './call';

/** Someone waiting in a call's lobby, as its host sees them. */
export interface LobbyEntry {
  id: string;
  /** The name it asked to join by; a guest's is settled against the roster only when it is admitted. */
  name: string;
  userId: string | null;
}

export function lobbyEntryOf(participant: Pick<ParticipantDraft, 'id' | 'name' | 'userId'>): LobbyEntry {
  return { id: participant.id, name: participant.name, userId: participant.userId };
}
