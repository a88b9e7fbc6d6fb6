/** The two budgets a login attempt draws on: the client address alone, and that address with the username. */
export interface LoginThrottleKeys {
  address: string;
  account: string;
}

/**
 * Limits login attempts per account key and per address key within a window.
 * charge: takes one attempt from both budgets atomically, before the password is compared, so concurrent
 *   attempts can never exceed a budget; answers null when the attempt may go ahead, otherwise the seconds
 *   until it may (a refused attempt leaves the other budget as it was).
 * succeeded: after a correct password — forgets the account's failures and gives the address its attempt back.
 */
export interface LoginThrottle {
  charge(keys: LoginThrottleKeys): Promise<number | null>;
  succeeded(keys: LoginThrottleKeys): Promise<void>;
}
