import type { IceServer } from '../../domain/ice-server';
import type { IdGenerator } from '../ports/id-generator';
import type { TurnCredentialIssuer } from '../ports/turn-credential-issuer';

export interface IceServerSettings {
  stunUrls: string[];
  /** Null when no TURN server is configured: then only the STUN servers are handed out. */
  turn: { urls: string[]; issuer: TurnCredentialIssuer } | null;
}

export interface GetIceServersInput {
  /** The account asking, when logged in. */
  userId: string | null;
  /** The participant (socket) asking, when it has one. */
  participantId: string | null;
}

/**
 * The STUN and TURN servers a client's peer connections should use, TURN with a fresh short-lived credential.
 * The credential names the account when there is one (the TURN server's logs then say whose relay it is), else the
 * participant, else a random id: never a name that strangers share, whose relays would count against one quota.
 */
export class GetIceServers {
  constructor(
    private readonly settings: IceServerSettings,
    private readonly ids: IdGenerator,
  ) {}

  async execute(input: GetIceServersInput): Promise<IceServer[]> {
    const servers: IceServer[] = [];
    if (this.settings.stunUrls.length > 0) servers.push({ urls: [...this.settings.stunUrls] });
    const turn = this.settings.turn;
    if (turn) {
      const subject = input.userId ?? input.participantId ?? `anonymous-${this.ids.next()}`;
      const { username, credential } = await turn.issuer.issue(subject);
      servers.push({ urls: [...turn.urls], username, credential });
    }
    return servers;
  }
}
