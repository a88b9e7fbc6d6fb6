import type { z } from 'zod';
import { DomainError } from '../domain/errors';

/** Parses untrusted input; on failure throws VALIDATION_FAILED listing each bad field. */
export function validate<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const details = result.error.issues.map((issue) => ({
    field: issue.path.join('.') || '(body)',
    message: issue.message,
  }));
  throw new DomainError('VALIDATION_FAILED', 'Request validation failed', details);
}
