import httpStatus from 'http-status';
import type { z } from 'zod';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { CreateMeeting } from '../../application/use-cases/create-meeting';
import type { GetMeeting } from '../../application/use-cases/get-meeting';
import type { ListMyMeetings } from '../../application/use-cases/list-my-meetings';
import type { Meeting } from '../../domain/meeting';
import { addressRateLimit } from './address-rate-limit';
import { route, type RouteTable } from './route';
import { createMeetingBody, meetingInfoResponse, meetingListQuery, meetingListResponse, meetingParams, meetingResponse } from './schemas';

export interface MeetingRouteDeps {
  createMeeting: CreateMeeting;
  getMeeting: GetMeeting;
  listMyMeetings: ListMyMeetings;
  /** REQUIRE_AUTH: without it anyone with the link may look a meeting up, as they may join its call. */
  requireAuth: boolean;
  /** Lookups per client address: a code and its title are not to be found by trying many. */
  lookupLimiter: RateLimiterAbstract;
}

/** Created meetings: a code to share as a link (http://host/<code>), whose call join-call enters. */
export function meetingRoutes(deps: MeetingRouteDeps): RouteTable {
  return {
    prefix: '/api/v1',
    tag: 'meetings',
    routes: [
      route({
        method: 'post',
        path: '/meetings',
        summary: 'Create a meeting',
        description: 'With a chosen code, or a generated one (abc-defg-hij). The caller owns it. A field not listed here is refused, by name.',
        auth: true,
        input: { body: createMeetingBody },
        ok: { status: httpStatus.CREATED, description: 'The meeting', body: meetingResponse },
        errors: ['MEETING_CODE_TAKEN'],
        handle: async ({ input, principal }) => {
          const { code, title, lobby, media } = input.body;
          return present(await deps.createMeeting.execute({ ownerId: principal().userId, code, title, lobby, media }));
        },
      }),

      route({
        method: 'get',
        path: '/meetings',
        summary: 'My meetings, newest first',
        auth: true,
        input: { query: meetingListQuery },
        ok: { status: httpStatus.OK, description: 'The meetings the caller created, newest first', body: meetingListResponse },
        errors: [],
        handle: async ({ input, principal }) =>
          (await deps.listMyMeetings.execute({ ownerId: principal().userId, limit: input.query.limit })).map(present),
      }),

      route({
        method: 'get',
        path: '/meetings/:code',
        summary: 'A meeting and whether its call is live',
        description:
          'How many are in its call now, never who. A code nobody created is NOT_FOUND, even while an ad-hoc call of that code is live. ' +
          'Logged in, or anyone when REQUIRE_AUTH is off. Limited per client address.',
        auth: deps.requireAuth,
        before: [addressRateLimit(deps.lookupLimiter, 'meeting lookups')],
        input: { params: meetingParams },
        ok: { status: httpStatus.OK, description: 'The meeting and its call now', body: meetingInfoResponse },
        errors: ['NOT_FOUND', 'RATE_LIMITED', 'SERVICE_UNAVAILABLE'],
        handle: async ({ input }) => deps.getMeeting.execute({ code: input.params.code }),
      }),
    ],
  };
}

function present(meeting: Meeting): z.output<typeof meetingResponse> {
  return { code: meeting.code, title: meeting.title, ownerId: meeting.ownerId, lobby: meeting.lobby, media: meeting.media, createdAt: meeting.createdAt.toISOString() };
}
