import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { api, bodyAs } from './test-server';

export const iceServersBody = z.strictObject({
  iceServers: z.array(z.strictObject({ urls: z.array(z.string()), username: z.string().optional(), credential: z.string().optional() })),
});
export type IceServerList = z.output<typeof iceServersBody>['iceServers'];

/** The TURN entry of a list: the one with a credential; fails the test when there is none. */
export function turnEntry(servers: IceServerList | Array<{ username?: string; credential?: string }>): { username: string; credential: string } {
  const entry = servers.find((server) => server.username !== undefined);
  if (!entry?.username || entry.credential === undefined) throw new Error(`no TURN entry in ${JSON.stringify(servers)}`);
  return { username: entry.username, credential: entry.credential };
}

/** `<unix expiry>:<subject>` taken apart, and whether the credential is the coturn REST HMAC of it under `secret`. */
export function readTurnLogin(login: { username: string; credential: string }, secret: string) {
  const [, expiry = '', subject = ''] = /^(\d+):(.+)$/.exec(login.username) ?? [];
  const signed = createHmac('sha1', secret).update(login.username).digest('base64') === login.credential;
  return { expiry: Number(expiry), subject, signed };
}

export async function getIceServers(base: string, options: { token?: string; headers?: Record<string, string> } = {}) {
  const res = await api(base, 'GET', '/api/v1/ice-servers', options);
  return { res, body: () => bodyAs(res, iceServersBody) };
}
