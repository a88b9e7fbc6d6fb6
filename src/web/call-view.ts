import type { AckResponse, CallOptionsDto, ClientEvent, ClientParams, LobbyEntryDto, ParticipantDto } from '../adapters/realtime/protocol';

/** What the call screen knows of its call, re-rendered on every change. */
export interface CallView {
  selfId: string;
  participants: ReadonlyMap<string, ParticipantDto>;
  options: CallOptionsDto;
  /** Who waits in the lobby: known to a host only. */
  lobby: readonly LobbyEntryDto[];
}

/** How a panel acts on the call: an acked request over the call's socket, a line of status for the person, the lobby. */
export interface CallActions {
  request<E extends ClientEvent>(event: E, ...args: ClientParams<E>): Promise<AckResponse<E>>;
  say(text: string): void;
  /** A host admitted or denied this waiter: it leaves the view's lobby. */
  settleKnock(id: string): void;
}
