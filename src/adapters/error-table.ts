import httpStatus from 'http-status';
import { z } from 'zod';
import { ERROR_CODES, isDomainError, type ErrorCode } from '../domain/errors';

/** The one place domain error codes meet transport statuses. Socket acks carry the code itself. */
const HTTP_STATUS: Record<ErrorCode, number> = {
  VALIDATION_FAILED: httpStatus.BAD_REQUEST,
  MALFORMED_JSON: httpStatus.BAD_REQUEST,
  MALFORMED_BODY: httpStatus.BAD_REQUEST,
  MALFORMED_REQUEST: httpStatus.BAD_REQUEST,
  REQUEST_HEADERS_TOO_LARGE: httpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
  REQUEST_TIMEOUT: httpStatus.REQUEST_TIMEOUT,
  UNAUTHENTICATED: httpStatus.UNAUTHORIZED,
  INVALID_CREDENTIALS: httpStatus.UNAUTHORIZED,
  NOT_FOUND: httpStatus.NOT_FOUND,
  USERNAME_TAKEN: httpStatus.CONFLICT,
  PAYLOAD_TOO_LARGE: httpStatus.REQUEST_ENTITY_TOO_LARGE,
  UNSUPPORTED_MEDIA_TYPE: httpStatus.UNSUPPORTED_MEDIA_TYPE,
  RATE_LIMITED: httpStatus.TOO_MANY_REQUESTS,
  SERVICE_UNAVAILABLE: httpStatus.SERVICE_UNAVAILABLE,
  NOT_IN_CALL: httpStatus.CONFLICT,
  NOT_IN_SAME_CALL: httpStatus.FORBIDDEN,
  ROOM_FULL: httpStatus.CONFLICT,
  MEETING_CODE_TAKEN: httpStatus.CONFLICT,
  FORBIDDEN: httpStatus.FORBIDDEN,
  BANNED: httpStatus.FORBIDDEN,
  // The call's state, not the caller's rights: it opens again when its host unlocks it (RFC 4918's 423).
  CALL_LOCKED: httpStatus.LOCKED,
  // Sockets only: the server lost the call (Redis lost its data); joining again is the retry.
  CALL_RESET: httpStatus.SERVICE_UNAVAILABLE,
  // Sockets only: a front end that speaks mesh only, in a call whose media goes through the SFU.
  UNSUPPORTED_CLIENT: httpStatus.UPGRADE_REQUIRED,
  INTERNAL: httpStatus.INTERNAL_SERVER_ERROR,
};

/** The JSON body of every error answer; the API document shows it from this schema. */
export const errorBody = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string().meta({ description: 'One plain sentence a front end can show as it is' }),
  details: z
    .array(z.object({ field: z.string(), message: z.string() }).meta({ id: 'FieldIssue' }))
    .optional()
    .meta({ description: 'Every problem by field (VALIDATION_FAILED)' }),
});

export type ErrorBody = z.output<typeof errorBody>;

export function httpStatusOf(code: ErrorCode): number {
  return HTTP_STATUS[code];
}

export interface DescribedError {
  status: number;
  body: ErrorBody;
  retryAfterSeconds?: number;
  /** True for anything that is not a domain error: a bug or an outage, to be logged. */
  unexpected: boolean;
}

export function describeError(error: unknown): DescribedError {
  if (!isDomainError(error)) {
    return {
      status: HTTP_STATUS.INTERNAL,
      body: { code: 'INTERNAL', message: 'Internal server error' },
      unexpected: true,
    };
  }
  const body: ErrorBody = { code: error.code, message: error.message };
  if (error.details) body.details = error.details;
  return {
    status: HTTP_STATUS[error.code],
    body,
    retryAfterSeconds: error.retryAfterSeconds,
    unexpected: error.code === 'INTERNAL',
  };
}
