import { Password } from '../../src/domain/password';
import { PASSWORD_LABEL, passwordProblem } from '../../src/web/password-rule';

describe('the sign-up form\'s password rule', () => {
  it('says the server\'s limits in the label, in characters', () => {
    expect(PASSWORD_LABEL).toBe(`Password (${Password.minBytes} to ${Password.maxBytes} characters)`);
  });

  it.each(['short', 'a'.repeat(8), 'a'.repeat(72), 'é'.repeat(36), 'é'.repeat(37), '🙂'.repeat(19)])('agrees with the server on %j', (password) => {
    expect(passwordProblem(password) === null).toBe(Password.problem(password) === null);
  });

  it('explains characters that count double only where they matter, past the top', () => {
    expect(passwordProblem('short')).toBe('Use at least 8 characters.');
    expect(passwordProblem('é'.repeat(40))).toMatch(/^Use at most 72 characters \(accented letters count as 2/);
  });
});
