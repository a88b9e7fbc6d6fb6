import { Router } from '@koa/router';
import type { Context } from 'koa';
import type { AddHistory } from '../../application/use-cases/add-history';
import type { Authenticate, Principal } from '../../application/use-cases/authenticate';
import type { GetCurrentUser } from '../../application/use-cases/get-current-user';
import type { GetHistory } from '../../application/use-cases/get-history';
import type { Login } from '../../application/use-cases/login';
import type { Logout } from '../../application/use-cases/logout';
import type { RegisterUser } from '../../application/use-cases/register-user';
import type { MeetingHistoryEntry } from '../../domain/meeting-history';
import { requireAuth } from './auth-middleware';
import type { HttpState } from './http-state';
import { addHistoryBody, historyQuery, loginBody, registerBody } from './schemas';
import { validate } from '../validate';

export interface UserRouteUseCases {
  registerUser: RegisterUser;
  login: Login;
  logout: Logout;
  authenticate: Authenticate;
  getCurrentUser: GetCurrentUser;
  addHistory: AddHistory;
  getHistory: GetHistory;
}

export function userRoutes(useCases: UserRouteUseCases): Router<HttpState> {
  const router = new Router<HttpState>({ prefix: '/api/v1/users' });
  const auth = requireAuth(useCases.authenticate);

  router.post('/register', async (ctx) => {
    const input = validate(registerBody, ctx.request.body);
    const user = await useCases.registerUser.execute(input);
    ctx.status = 201;
    ctx.body = { message: 'User registered', user };
  });

  router.post('/login', async (ctx) => {
    const input = validate(loginBody, ctx.request.body);
    const result = await useCases.login.execute({ ...input, clientKey: ctx.ip });
    ctx.body = { token: result.token, expiresAt: result.expiresAt.toISOString(), user: result.user };
  });

  router.post('/logout', auth, async (ctx) => {
    await useCases.logout.execute({ sessionId: principalOf(ctx).sessionId });
    ctx.status = 204;
  });

  router.get('/me', auth, async (ctx) => {
    ctx.body = { user: await useCases.getCurrentUser.execute({ userId: principalOf(ctx).userId }) };
  });

  router.post('/add_to_activity', auth, async (ctx) => {
    const input = validate(addHistoryBody, ctx.request.body);
    const entry = await useCases.addHistory.execute({
      userId: principalOf(ctx).userId,
      meetingCode: input.meeting_code,
    });
    ctx.status = 201;
    ctx.body = { meeting: present(entry) };
  });

  router.get('/get_all_activity', auth, async (ctx) => {
    const { limit } = validate(historyQuery, ctx.query);
    const entries = await useCases.getHistory.execute({ userId: principalOf(ctx).userId, limit });
    ctx.body = entries.map(present);
  });

  return router;
}

function principalOf(ctx: Context & { state: HttpState }): Principal {
  if (!ctx.state.principal) throw new Error('route used without requireAuth');
  return ctx.state.principal;
}

function present(entry: MeetingHistoryEntry): { meetingCode: string; date: string } {
  return { meetingCode: entry.meetingCode, date: entry.date.toISOString() };
}
