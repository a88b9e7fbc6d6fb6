import { DomainError, type ErrorCode } from '../../src/domain/errors';

/** Resolves to the DomainError the promise rejects with; fails the test when it resolves or throws something else. */
export async function domainErrorOf(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError, but the call succeeded');
}

export async function expectCode(promise: Promise<unknown>, code: ErrorCode): Promise<DomainError> {
  const error = await domainErrorOf(promise);
  expect(error.code).toBe(code);
  return error;
}
