import { codePointLength, isPrintable } from './text';

/** Schemes whose URLs key a call by their path; any other string, a custom scheme's URL included, is its own key. */
const WEB_SCHEMES = new Set(['http:', 'https:']);

/** Lowercase letters and digits, hyphens inside only, 3-64 characters: safe in a link and in a path segment as it is. */
const LINK_SAFE = /^[a-z0-9](?:[a-z0-9-]{1,62}[a-z0-9])$/;

export const MeetingCode = {
  maxLength: 128,
  normalize(raw: string): string {
    return raw.trim();
  },
  /** The rule for codes recorded in a user's meeting history (free text, as front ends have always sent). */
  problem(raw: string): string | null {
    const value = raw.trim();
    if (value.length === 0) return 'must not be empty';
    if (codePointLength(value) > MeetingCode.maxLength) return `must be at most ${MeetingCode.maxLength} characters`;
    if (!isPrintable(value)) return 'must contain printable characters only';
    return null;
  },

  /**
   * The code of the call a join-call path enters. For an http(s) URL, the last non-empty segment of its path as the
   * URL parser gives it (what `location.pathname` shows: not percent-decoded, case kept; query and fragment ignored),
   * so http://host:3000/standup/ and standup are one call; an http(s) URL with no such segment, the URL itself less
   * trailing slashes. Anything else is its own code.
   */
  fromJoinPath(path: string): string {
    const url = URL.canParse(path) ? new URL(path) : null;
    if (!url || !WEB_SCHEMES.has(url.protocol)) return path;
    const last = url.pathname.split('/').filter((segment) => segment !== '').at(-1);
    return last ?? path.replace(/\/+$/, '');
  },

  /** The rule for the code of a created meeting, chosen or generated. */
  linkSafe: {
    pattern: LINK_SAFE,
    problem(raw: string): string | null {
      return LINK_SAFE.test(raw) ? null : 'must be 3-64 lowercase letters, digits or hyphens, starting and ending with a letter or digit';
    },
  },
};
