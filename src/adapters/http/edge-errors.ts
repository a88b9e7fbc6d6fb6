import { DomainError } from '../../domain/errors';

/**
 * How zlib (Z_DATA_ERROR, Z_BUF_ERROR…) and Brotli (ERR__ERROR_FORMAT_…) name a stream that does not decode.
 * The body parser passes these through untouched, without an HTTP status.
 */
const DECOMPRESSION_FAILURE = /^(Z_|ERR__ERROR_)/;
/** What `inflation` throws (status 415) for a Content-Encoding it does not know. */
const UNKNOWN_ENCODING = /^Unsupported Content-Encoding/;

/** Turns what Koa and the body parser throw into domain errors; anything else passes through. */
export function translateEdgeError(error: unknown): unknown {
  if (typeof error !== 'object' || error === null) return error;
  const { status, type, code, errno, message } = error as {
    status?: number;
    type?: string;
    code?: unknown;
    errno?: unknown;
    message?: string;
  };
  if (typeof errno === 'number' && typeof code === 'string' && DECOMPRESSION_FAILURE.test(code)) {
    return new DomainError('MALFORMED_BODY', 'Request body does not decode as its Content-Encoding says');
  }
  if (status === 413 || type === 'entity.too.large') {
    return new DomainError('PAYLOAD_TOO_LARGE', 'Request body is too large');
  }
  if (status === 415 && UNKNOWN_ENCODING.test(message ?? '')) {
    return new DomainError('UNSUPPORTED_MEDIA_TYPE', 'Content-Encoding must be gzip, deflate, br or identity');
  }
  if (status === 415) {
    return new DomainError('UNSUPPORTED_MEDIA_TYPE', 'Request body must be application/json');
  }
  if (status === 400 && (type === 'entity.parse.failed' || 'body' in error)) {
    return new DomainError('MALFORMED_JSON', 'Request body is not valid JSON');
  }
  if (status === 400) {
    return new DomainError('VALIDATION_FAILED', 'Bad request');
  }
  return error;
}
