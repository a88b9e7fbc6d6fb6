import httpStatus from 'http-status';
import type { AddHistory } from '../../application/use-cases/add-history';
import type { Authenticate } from '../../application/use-cases/authenticate';
import type { GetAttendance } from '../../application/use-cases/get-attendance';
import type { GetCurrentUser } from '../../application/use-cases/get-current-user';
import type { GetHistory } from '../../application/use-cases/get-history';
import type { Login } from '../../application/use-cases/login';
import type { Logout } from '../../application/use-cases/logout';
import type { RegisterUser } from '../../application/use-cases/register-user';
import { Attendance, type AttendanceRecord } from '../../domain/attendance';
import type { MeetingHistoryEntry } from '../../domain/meeting-history';
import { route, type RouteTable } from './route';
import {
  addHistoryBody,
  addHistoryResponse,
  attendanceQuery,
  attendanceResponse,
  currentUserResponse,
  historyQuery,
  historyResponse,
  loginBody,
  loginResponse,
  registerBody,
  registerResponse,
} from './schemas';

export interface UserRouteUseCases {
  registerUser: RegisterUser;
  login: Login;
  logout: Logout;
  authenticate: Authenticate;
  getCurrentUser: GetCurrentUser;
  addHistory: AddHistory;
  getHistory: GetHistory;
  getAttendance: GetAttendance;
}

export function userRoutes(useCases: UserRouteUseCases): RouteTable {
  return {
    prefix: '/api/v1/users',
    tag: 'users',
    routes: [
      route({
        method: 'post',
        path: '/register',
        summary: 'Create an account',
        auth: false,
        input: { body: registerBody },
        ok: { status: httpStatus.CREATED, description: 'The account, without its password', body: registerResponse },
        errors: ['USERNAME_TAKEN'],
        handle: async ({ input }) => ({ message: 'User registered', user: await useCases.registerUser.execute(input.body) }),
      }),

      route({
        method: 'post',
        path: '/login',
        summary: 'Start a session',
        description: 'Failed logins are counted per client address and username, and per client address.',
        auth: false,
        input: { body: loginBody },
        ok: { status: httpStatus.OK, description: 'A session token and when it expires', body: loginResponse },
        errors: ['INVALID_CREDENTIALS', 'RATE_LIMITED'],
        handle: async ({ input, ctx }) => {
          const result = await useCases.login.execute({ ...input.body, clientKey: ctx.ip });
          return { token: result.token, expiresAt: result.expiresAt.toISOString(), user: result.user };
        },
      }),

      route({
        method: 'post',
        path: '/logout',
        summary: 'End this session',
        description:
          'The token stops working at once, on every server; sockets opened with it get `session-ended` and are ' +
          'disconnected. `SERVICE_UNAVAILABLE` (cluster mode, Redis away): the session is ended in the database but ' +
          'the other servers could not be told at once; log out again.',
        auth: true,
        ok: { status: httpStatus.NO_CONTENT, description: 'Logged out' },
        errors: ['SERVICE_UNAVAILABLE'],
        handle: async ({ principal }) => {
          await useCases.logout.execute({ sessionId: principal().sessionId });
        },
      }),

      route({
        method: 'get',
        path: '/me',
        summary: 'The account of this session',
        auth: true,
        ok: { status: httpStatus.OK, description: 'The account', body: currentUserResponse },
        errors: ['NOT_FOUND'],
        handle: async ({ principal }) => ({ user: await useCases.getCurrentUser.execute({ userId: principal().userId }) }),
      }),

      route({
        method: 'post',
        path: '/add_to_activity',
        summary: 'Record a meeting joined',
        auth: true,
        input: { body: addHistoryBody },
        ok: { status: httpStatus.CREATED, description: 'The recorded entry', body: addHistoryResponse },
        errors: [],
        handle: async ({ input, principal }) => {
          const entry = await useCases.addHistory.execute({ userId: principal().userId, meetingCode: input.body.meeting_code });
          return { meeting: present(entry) };
        },
      }),

      route({
        method: 'get',
        path: '/get_all_activity',
        summary: 'Meetings joined, newest first',
        auth: true,
        input: { query: historyQuery },
        ok: { status: httpStatus.OK, description: 'Meeting history, newest first', body: historyResponse },
        errors: [],
        handle: async ({ input, principal }) => {
          const entries = await useCases.getHistory.execute({ userId: principal().userId, limit: input.query.limit });
          return entries.map(present);
        },
      }),

      route({
        method: 'get',
        path: '/attendance',
        summary: 'Calls attended, newest first',
        description:
          'Recorded by the server when a logged-in participant leaves a call: by leaving, by joining another call, by ' +
          'disconnecting, or, when their server node dies, when another node finds it dead. Guests are not recorded.',
        auth: true,
        input: { query: attendanceQuery },
        ok: { status: httpStatus.OK, description: 'Attendance, newest first', body: attendanceResponse },
        errors: [],
        handle: async ({ input, principal }) => {
          const records = await useCases.getAttendance.execute({ userId: principal().userId, limit: input.query.limit });
          return { attendance: records.map(presentAttendance) };
        },
      }),
    ],
  };
}

function presentAttendance(record: AttendanceRecord): { meetingCode: string; joinedAt: string; leftAt: string; durationSeconds: number } {
  return {
    meetingCode: record.meetingCode,
    joinedAt: record.joinedAt.toISOString(),
    leftAt: record.leftAt.toISOString(),
    durationSeconds: Attendance.durationSeconds(record),
  };
}

function present(entry: MeetingHistoryEntry): { meetingCode: string; date: string } {
  return { meetingCode: entry.meetingCode, date: entry.date.toISOString() };
}
