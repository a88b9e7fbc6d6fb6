import { z } from 'zod';
import { validationFailed } from '../domain/errors';

/** "is required" when absent, "must be a string" otherwise. */
export const text = () => z.string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') });

/**
 * A string checked by a domain rule, so each rule lives in one place (the domain) for every adapter; `base` for
 * bounds the edge sets on top of the rule.
 */
export function ruledString(rule: { problem(value: string): string | null }, base: z.ZodString = text()) {
  return base.superRefine((value, ctx) => {
    const problem = rule.problem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
}

/** An object that refuses fields it does not know, saying so in words; `notObject` when it is no object at all. */
export function strictShape<T extends z.ZodRawShape>(shape: T, notObject = 'must be an object') {
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `has unknown ${issue.keys.length === 1 ? 'field' : 'fields'} ${issue.keys.map((key) => `"${key}"`).join(', ')}`
        : notObject,
  });
}

export const flag = () => z.boolean({ error: 'must be true or false' });

/**
 * Parses untrusted input; on failure throws VALIDATION_FAILED listing each bad field, the first in plain words.
 * `unnamedSegments`: how many leading path segments name no field (an HTTP route's `body` and `query` parts).
 */
export function validate<S extends z.ZodType>(schema: S, input: unknown, unnamedSegments = 0): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw validationFailed(
    result.error.issues.map((issue) => ({
      field: issue.path.slice(unnamedSegments).join('.') || '(body)',
      message: issue.message,
    })),
  );
}
