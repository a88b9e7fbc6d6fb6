import { DomainError } from '../../domain/errors';

/** Turns what Koa and the body parser throw into domain errors; anything else passes through. */
export function translateEdgeError(error: unknown): unknown {
  const status = (error as { status?: number; statusCode?: number }).status;
  const type = (error as { type?: string }).type;
  if (status === 413 || type === 'entity.too.large') {
    return new DomainError('PAYLOAD_TOO_LARGE', 'Request body is too large');
  }
  if (status === 415) {
    return new DomainError('UNSUPPORTED_MEDIA_TYPE', 'Request body must be application/json');
  }
  if (status === 400 && (type === 'entity.parse.failed' || 'body' in (error as object))) {
    return new DomainError('MALFORMED_JSON', 'Request body is not valid JSON');
  }
  if (status === 400) {
    return new DomainError('VALIDATION_FAILED', 'Bad request');
  }
  return error;
}
