const MEETING_PATH = /^\/m\/([^/]+)\/?$/;

/** The meeting a page path names: `/m/<code>` gives the code; any other path none (''). */
export function codeFromPath(pathname: string): string {
  const match = MEETING_PATH.exec(pathname);
  return match?.[1] ? safeDecode(match[1]) : '';
}

/** What someone typed or pasted to join: a link's `/m/<code>` or last path segment, or the code itself. */
export function codeFromInput(raw: string): string {
  const text = raw.trim();
  const url = /^https?:\/\//i.test(text) && URL.canParse(text) ? new URL(text) : null;
  if (!url) return text;
  const code = codeFromPath(url.pathname);
  if (code) return code;
  const last = url.pathname.split('/').filter((segment) => segment !== '').at(-1);
  return last ? safeDecode(last) : '';
}

/** The link to share for a meeting, on this page's origin. */
export function meetingLink(origin: string, code: string): string {
  return `${origin}/m/${encodeURIComponent(code)}`;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
