export const ERROR_CODES = [
  'VALIDATION_FAILED',
  'MALFORMED_JSON',
  'MALFORMED_BODY',
  'MALFORMED_REQUEST',
  'REQUEST_HEADERS_TOO_LARGE',
  'REQUEST_TIMEOUT',
  'UNAUTHENTICATED',
  'INVALID_CREDENTIALS',
  'NOT_FOUND',
  'USERNAME_TAKEN',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'RATE_LIMITED',
  'SERVICE_UNAVAILABLE',
  'NOT_IN_CALL',
  'NOT_IN_SAME_CALL',
  'ROOM_FULL',
  'MEETING_CODE_TAKEN',
  'FORBIDDEN',
  'BANNED',
  'CALL_LOCKED',
  'CALL_RESET',
  'UNSUPPORTED_CLIENT',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface FieldIssue {
  field: string;
  message: string;
}

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: FieldIssue[],
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}

/** How a field is named to a person: the last named segment of its path, `meeting_code` as "meeting code". */
export function fieldLabel(field: string): string {
  if (field === '(body)') return 'request body';
  const named = field.split('.').filter((segment) => !/^\d+$/.test(segment));
  return (named.at(-1) ?? field).replaceAll('_', ' ');
}

/**
 * VALIDATION_FAILED whose message is the first problem in the words a person reads under a form field
 * ("password must be at least 8 bytes"); `details` keeps every problem for programs.
 */
export function validationFailed(details: FieldIssue[], label: (field: string) => string = fieldLabel): DomainError {
  const first = details[0];
  const message = first ? `${label(first.field)} ${first.message}` : 'The request is not valid';
  return new DomainError('VALIDATION_FAILED', message, details);
}

/** Throws VALIDATION_FAILED listing every field whose problem is not null. */
export function assertValid(problems: Record<string, string | null>): void {
  const details = Object.entries(problems)
    .filter((entry): entry is [string, string] => entry[1] !== null)
    .map(([field, message]) => ({ field, message }));
  if (details.length > 0) throw validationFailed(details);
}
