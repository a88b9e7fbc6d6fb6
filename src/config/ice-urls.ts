import { z } from 'zod';

const HOST = String.raw`(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])`;
/** RFC 7064 (stun:, stuns:) and RFC 7065 (turn:, turns:, with ?transport=udp|tcp) URIs, as browsers take them. */
const ICE_URL = {
  stun: new RegExp(String.raw`^stuns?:${HOST}(?::(\d{1,5}))?$`),
  turn: new RegExp(String.raw`^turns?:${HOST}(?::(\d{1,5}))?(?:\?transport=(?:udp|tcp))?$`),
};
const EXAMPLE = { stun: 'stun:stun.example.com:3478', turn: 'turn:turn.example.com:3478?transport=udp or turns:turn.example.com:5349' };

/** A comma-separated list of STUN or TURN server URLs; empty when unset. */
export const iceUrlList = (kind: 'stun' | 'turn') =>
  z
    .string()
    .default('')
    .transform((text, ctx) => {
      const urls = text
        .split(',')
        .map((url) => url.trim())
        .filter(Boolean);
      for (const url of urls) {
        const match = ICE_URL[kind].exec(url);
        const port = match?.[1] === undefined ? 1 : Number(match[1]);
        if (!match || port < 1 || port > 65535) {
          ctx.addIssue({ code: 'custom', message: `"${url}" is not a ${kind.toUpperCase()} URL like ${EXAMPLE[kind]}` });
          return z.NEVER;
        }
      }
      return urls;
    });
