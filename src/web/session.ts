import type { LoginResponse } from '../adapters/http/schemas';

/** A signed-in person: their token, when it expires and who they are, as the login answered. */
export type Session = LoginResponse;

const KEY = 'meet-session';

/**
 * The session kept in localStorage, so it survives a reload. The page's CSP runs scripts from its own origin only,
 * which is what keeps other scripts from reading it.
 */
export const sessionStore = {
  /** The stored session, or null when there is none or it has expired. */
  load(): Session | null {
    const stored = parse(localStorage.getItem(KEY));
    if (stored && Date.parse(stored.expiresAt) > Date.now()) return stored;
    if (stored) localStorage.removeItem(KEY);
    return null;
  },
  save(session: Session): void {
    localStorage.setItem(KEY, JSON.stringify(session));
  },
  forget(): void {
    localStorage.removeItem(KEY);
  },
};

function parse(text: string | null): Session | null {
  if (!text) return null;
  try {
    const value: unknown = JSON.parse(text);
    return isSession(value) ? value : null;
  } catch {
    return null;
  }
}

function isSession(value: unknown): value is Session {
  if (typeof value !== 'object' || value === null) return false;
  const { token, expiresAt, user } = value as Record<string, unknown>;
  return typeof token === 'string' && typeof expiresAt === 'string' && typeof user === 'object' && user !== null && 'name' in user;
}
