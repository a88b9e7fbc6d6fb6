import type { Logger } from 'pino';
import type { Principal } from '../../application/use-cases/authenticate';

export interface HttpState {
  log: Logger;
  requestId: string;
  principal?: Principal;
}
