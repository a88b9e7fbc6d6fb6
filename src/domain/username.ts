export const Username = {
  pattern: /^[A-Za-z0-9._-]{3,32}$/,
  /** Usernames are unique case-insensitively; this is the form uniqueness is checked on. */
  key(username: string): string {
    return username.toLowerCase();
  },
  problem(raw: string): string | null {
    return Username.pattern.test(raw) ? null : 'must be 3-32 characters of letters, digits, . _ -';
  },
};
