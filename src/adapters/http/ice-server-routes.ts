import httpStatus from 'http-status';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { z } from 'zod';
import type { Authenticate } from '../../application/use-cases/authenticate';
import type { GetIceServers } from '../../application/use-cases/get-ice-servers';
import { iceServerSchema } from '../ice-server-schema';
import { addressRateLimit } from './address-rate-limit';
import { optionalAuth } from './auth-middleware';
import { route, type RouteTable } from './route';

export interface IceServerRouteDeps {
  getIceServers: GetIceServers;
  authenticate: Authenticate;
  /** REQUIRE_AUTH: without it, guests may ask too, as they may join calls. */
  requireAuth: boolean;
  /** Requests per client address. */
  limiter: RateLimiterAbstract;
}

const iceServersResponse = z.object({ iceServers: z.array(iceServerSchema) });

/** GET /api/v1/ice-servers: the `iceServers` a join ack carries, for clients that set up media before joining. */
export function iceServerRoutes(deps: IceServerRouteDeps): RouteTable {
  return {
    prefix: '/api/v1',
    tag: 'calls',
    routes: [
      route({
        method: 'get',
        path: '/ice-servers',
        summary: 'STUN and TURN servers for RTCPeerConnection, TURN with a short-lived credential',
        description:
          'Logged in, or anyone when REQUIRE_AUTH is off (a token that is sent must still be valid). Limited per client address.',
        auth: deps.requireAuth,
        before: [addressRateLimit(deps.limiter, 'ICE server requests'), ...(deps.requireAuth ? [] : [optionalAuth(deps.authenticate)])],
        ok: { status: httpStatus.OK, description: 'Pass `iceServers` as it is to `new RTCPeerConnection({ iceServers })`', body: iceServersResponse },
        errors: ['RATE_LIMITED', 'UNAUTHENTICATED'],
        handle: async ({ ctx }) => {
          // The TURN credential is someone's for an hour: no shared cache may keep it.
          ctx.set('Cache-Control', 'no-store');
          return { iceServers: await deps.getIceServers.execute({ userId: ctx.state.principal?.userId ?? null, participantId: null }) };
        },
      }),
    ],
  };
}
