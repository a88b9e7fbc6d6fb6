import { Router } from '@koa/router';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Authenticate } from '../../application/use-cases/authenticate';
import type { GetIceServers } from '../../application/use-cases/get-ice-servers';
import { addressRateLimit } from './address-rate-limit';
import { authUnlessGuestsAllowed } from './auth-middleware';
import type { HttpState } from './http-state';

export interface IceServerRouteDeps {
  getIceServers: GetIceServers;
  authenticate: Authenticate;
  /** REQUIRE_AUTH: without it, guests may ask too, as they may join calls. */
  requireAuth: boolean;
  /** Requests per client address. */
  limiter: RateLimiterAbstract;
}

/** GET /api/v1/ice-servers: the `iceServers` a join ack carries, for clients that set up media before joining. */
export function iceServerRoutes(deps: IceServerRouteDeps): Router<HttpState> {
  const router = new Router<HttpState>({ prefix: '/api/v1' });

  router.get(
    '/ice-servers',
    addressRateLimit(deps.limiter, 'ICE server requests'),
    authUnlessGuestsAllowed(deps.authenticate, deps.requireAuth),
    async (ctx) => {
      const iceServers = await deps.getIceServers.execute({ userId: ctx.state.principal?.userId ?? null, participantId: null });
      // The TURN credential is someone's for an hour: no shared cache may keep it.
      ctx.set('Cache-Control', 'no-store');
      ctx.body = { iceServers };
    },
  );

  return router;
}
