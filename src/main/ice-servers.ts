import { HmacTurnCredentialIssuer } from '../adapters/turn/hmac-turn-credential-issuer';
import type { Clock } from '../application/ports/clock';
import type { IceServerSettings } from '../application/use-cases/get-ice-servers';
import type { Config } from '../config/env';

/** STUN_URLS as they are; TURN_URLS with coturn REST credentials from TURN_SECRET, when set. */
export function iceServerSettings(ice: Config['ice'], clock: Clock): IceServerSettings {
  const turn = ice.turn;
  return {
    stunUrls: ice.stunUrls,
    turn: turn && { urls: turn.urls, issuer: new HmacTurnCredentialIssuer({ secret: turn.secret, ttlSeconds: turn.ttlSeconds }, clock) },
  };
}
