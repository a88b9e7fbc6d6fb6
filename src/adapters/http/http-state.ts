import type { Logger } from 'pino';
import type { Principal } from '../../application/use-cases/authenticate';

export interface HttpState {
  /** This node's logger; a line about the request carries `reqId: requestId`. */
  log: Logger;
  requestId: string;
  principal?: Principal;
}
