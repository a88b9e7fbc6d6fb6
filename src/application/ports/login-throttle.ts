/**
 * Counts failed logins per key (client address + username).
 * blockedFor: seconds until the key may try again, or null when it may try now.
 */
export interface LoginThrottle {
  blockedFor(key: string): Promise<number | null>;
  recordFailure(key: string): Promise<void>;
  reset(key: string): Promise<void>;
}
