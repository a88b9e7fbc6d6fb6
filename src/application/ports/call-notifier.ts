import type { Reaction } from '../../domain/reaction';
import type { CallOptions, ChatMessage, ForcedKind, MediaState, Participant, Role, SignalPayload } from '../../domain/call';
import type { IceServer } from '../../domain/ice-server';
import type { LobbyEntry } from '../../domain/lobby';
import type { MediaPath } from '../../domain/media-path';
import type { Admission } from './call-store';

export type CallEvent =
  | { type: 'user-joined'; id: string; participants: Participant[] }
  | { type: 'signal'; fromId: string; message: SignalPayload }
  | { type: 'chat-message'; message: ChatMessage }
  | { type: 'media-state'; id: string; state: MediaState }
  | { type: 'user-left'; id: string }
  | { type: 'role-changed'; id: string; role: Role }
  | { type: 'kicked'; by: string; banned: boolean }
  | { type: 'muted'; by: string; kind: ForcedKind; force: boolean }
  | { type: 'call-options'; options: CallOptions }
  | { type: 'call-ended'; by: string }
  | { type: 'participant-reconnecting'; id: string }
  | { type: 'participant-reconnected'; id: string }
  | { type: 'lobby-knock'; knock: LobbyEntry }
  | { type: 'admitted'; admission: Admission; iceServers: IceServer[] }
  | { type: 'denied' }
  | { type: 'media-path'; path: MediaPath; reason: 'grew' | 'media-server-lost' | 'fallback' }
  | { type: 'sfu-publisher'; id: string }
  | { type: 'speaking'; id: string; talking: boolean }
  | { type: 'reaction'; id: string; reaction: Reaction };

/**
 * Delivers call events to connected participants. Delivery is best effort: a participant
 * who has gone is skipped silently, never an error.
 * attach/detach: make a participant receive (or stop receiving) what is sent to a call.
 * rebind: make what is addressed to a participant reach the connection `connectionId` (it resumed on it).
 * closeReplaced: tell the connection `connectionId`, on any node, that its participant resumed on connection `by`, and close it.
 */
export interface CallNotifier {
  attach(participantId: string, callId: string): Promise<void>;
  detach(participantId: string, callId: string): Promise<void>;
  rebind(participantId: string, connectionId: string): Promise<void>;
  closeReplaced(connectionId: string, by: string): void;
  toParticipant(participantId: string, event: CallEvent): void;
  toCall(callId: string, event: CallEvent, exceptParticipantId?: string): void;
}
