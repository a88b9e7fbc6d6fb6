/** The server's rule (src/domain/password.ts) counts UTF-8 bytes, which is characters for plain letters and digits. */
const MIN = 8;
const MAX = 72;

export const PASSWORD_LABEL = `Password (${MIN} to ${MAX} characters)`;

/** The password's problem in the label's unit, or null; bytes matter only past the top, where é or an emoji counts 2 to 4. */
export function passwordProblem(password: string): string | null {
  const bytes = new TextEncoder().encode(password).length;
  if (bytes < MIN) return `Use at least ${MIN} characters.`;
  if (bytes > MAX) return `Use at most ${MAX} characters (accented letters count as 2, emoji as 4).`;
  return null;
}
