import { z } from 'zod';
import { DomainError } from '../domain/errors';

/** A string checked by a domain rule, so each rule lives in one place (the domain) for every adapter. */
export function ruledString(rule: { problem(value: string): string | null }) {
  return z.string({ error: 'must be a string' }).superRefine((value, ctx) => {
    const problem = rule.problem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
}

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
