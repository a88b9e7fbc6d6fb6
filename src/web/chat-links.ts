/** A piece of a chat message: plain text, or an http(s) link to show as one. */
export type ChatToken = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

const CANDIDATE = /\bhttps?:\/\/[^\s<>"']+/gi;
/** Punctuation that ends a sentence rather than the link it follows. */
const TRAILING = /[.,;:!?)\]}]+$/;

function asLink(raw: string): ChatToken | null {
  if (!URL.canParse(raw)) return null;
  const url = new URL(raw);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  return { kind: 'link', text: raw, href: url.href };
}

/** Splits a message into text and http(s) links; anything else (javascript:, data:, markup) stays text. */
export function chatTokens(message: string): ChatToken[] {
  const tokens: ChatToken[] = [];
  const text = (value: string) => {
    if (!value) return;
    const last = tokens.at(-1);
    if (last?.kind === 'text') last.text += value;
    else tokens.push({ kind: 'text', text: value });
  };
  let from = 0;
  for (const match of message.matchAll(CANDIDATE)) {
    const raw = match[0].replace(TRAILING, '');
    const link = asLink(raw);
    if (!link) continue;
    text(message.slice(from, match.index));
    tokens.push(link);
    from = match.index + raw.length;
  }
  text(message.slice(from));
  return tokens;
}
