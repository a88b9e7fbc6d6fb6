import type { ErrorInfo } from '../adapters/realtime/protocol';

/** An ack's error, whose message is one sentence the page shows as it is. */
export class AckFailure extends Error {
  constructor(readonly info: ErrorInfo) {
    super(info.message);
  }
}
