import { z } from 'zod';
import { ATTENDANCE_PAGE } from '../../domain/attendance';
import { HISTORY_PAGE } from '../../domain/meeting-history';
import { MEETING_PAGE, MeetingTitle } from '../../domain/meeting';
import { MeetingCode } from '../../domain/meeting-code';
import { MEDIA_MODES } from '../../domain/media-path';
import { Password } from '../../domain/password';
import { PersonName } from '../../domain/person-name';
import { Username } from '../../domain/username';
import { errorBody } from '../error-table';
import { flag, ruledString, strictShape, text } from '../validate';

const body = <T extends z.ZodRawShape>(shape: T) => z.object(shape, { error: 'must be a JSON object' });

export const registerBody = body({
  name: ruledString(PersonName).meta({ description: `1-${PersonName.maxLength} characters once trimmed, no control, invisible or text-direction characters` }),
  username: ruledString(Username).meta({ pattern: Username.pattern.source, description: 'Unique ignoring case' }),
  password: ruledString(Password).meta({
    description: `${Password.minBytes}-${Password.maxBytes} bytes of UTF-8; a longer one is refused, never truncated`,
  }),
});

export const loginBody = body({
  username: text().min(1, 'must not be empty').max(64, 'is too long'),
  password: text().min(1, 'must not be empty').max(1024, 'is too long'),
});

export const addHistoryBody = body({
  meeting_code: ruledString(MeetingCode).meta({ description: `1-${MeetingCode.maxLength} printable characters once trimmed` }),
});

export const historyQuery = z.object({
  limit: z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(HISTORY_PAGE.maxLimit, `must be at most ${HISTORY_PAGE.maxLimit}`)
    .optional()
    .meta({ description: 'How many entries, newest first', default: HISTORY_PAGE.defaultLimit }),
});

export const attendanceQuery = z.object({
  limit: z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(ATTENDANCE_PAGE.maxLimit, `must be at most ${ATTENDANCE_PAGE.maxLimit}`)
    .optional()
    .meta({ description: 'How many records, newest first', default: ATTENDANCE_PAGE.defaultLimit }),
});

const mediaMode = z.enum(MEDIA_MODES, { error: `must be one of ${MEDIA_MODES.join(', ')}` });

const linkCode = () =>
  ruledString(MeetingCode.linkSafe).meta({
    pattern: MeetingCode.linkSafe.pattern.source,
    description: 'The last segment of the meeting link (http://host/<code>): 3-64 lowercase letters, digits or inner hyphens',
  });

// Strict: a field that was meant for something (an `owner`, a misspelt `lobby`) is refused rather than lost. `token` is
// known: existing front ends may authenticate with it in the body.
export const createMeetingBody = strictShape(
  {
    code: linkCode().optional().meta({ description: 'Generated (abc-defg-hij) when absent' }),
    title: ruledString(MeetingTitle)
      .optional()
      .meta({ description: `At most ${MeetingTitle.maxLength} printable characters once trimmed; '' when absent` }),
    lobby: flag().optional().meta({ description: 'Newcomers wait in the lobby until the host admits them', default: false }),
    media: mediaMode.optional().meta({
      description: "How the call's media travels: peer to peer (mesh), through the SFU (sfu), or peer to peer until the call grows (auto). Without JANUS_URLS every call is a mesh",
      default: 'auto',
    }),
    token: text().optional().meta({ description: 'The session token, for clients that cannot send Authorization: Bearer' }),
  },
  'must be a JSON object',
);

export const meetingParams = z.object({ code: linkCode() });

export const meetingListQuery = z.object({
  limit: z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(MEETING_PAGE.maxLimit, `must be at most ${MEETING_PAGE.maxLimit}`)
    .optional()
    .meta({ description: 'How many meetings, newest first', default: MEETING_PAGE.defaultLimit }),
});

// What routes answer. Each route's handler is typed by its schema here, and the API document shows the same schema.

const isoTime = z.string().meta({ format: 'date-time', description: 'ISO 8601, UTC' });
const publicUser = z.object({ id: z.string(), name: z.string(), username: z.string() }).meta({ id: 'PublicUser' });
const meetingEntry = z.object({ meetingCode: z.string(), date: isoTime }).meta({ id: 'MeetingHistoryEntry' });

export const meetingResponse = z
  .object({ code: z.string(), title: z.string(), ownerId: z.string(), lobby: z.boolean(), media: z.enum(MEDIA_MODES), createdAt: isoTime })
  .meta({ id: 'Meeting' });

export const meetingListResponse = z.array(meetingResponse).meta({ description: 'Newest first' });

export const meetingInfoResponse = z
  .object({
    code: z.string(),
    title: z.string(),
    lobby: z.boolean(),
    live: z.boolean().meta({ description: 'Someone is in the call now' }),
    participants: z.number().int().min(0).meta({ description: 'How many are in the call now, on every node' }),
  })
  .meta({ id: 'MeetingInfo' });

export const registerResponse = z.object({ message: z.string(), user: publicUser });

export const loginResponse = z.object({ token: z.string(), expiresAt: isoTime, user: publicUser });

export const currentUserResponse = z.object({ user: publicUser });

export const addHistoryResponse = z.object({ meeting: meetingEntry });

export const historyResponse = z.array(meetingEntry).meta({ description: 'Newest first' });

const attendanceRecord = z
  .object({
    meetingCode: z.string().meta({ description: 'The call: the path its participants joined by' }),
    joinedAt: isoTime,
    leftAt: isoTime,
    durationSeconds: z.number().int().min(0).meta({ description: 'Whole seconds from joinedAt to leftAt' }),
  })
  .meta({ id: 'AttendanceRecord' });

export const attendanceResponse = z.object({
  attendance: z.array(attendanceRecord).meta({ description: 'Newest first: by joinedAt, then by leftAt' }),
});

export const healthResponse = z.object({ status: z.literal('ok') });

export const readyResponse = z.object({ status: z.literal('ready') });

export const notReadyResponse = errorBody.extend({
  code: z.literal('SERVICE_UNAVAILABLE'),
  status: z.literal('unavailable'),
  failing: z.array(z.string()).meta({ description: 'What does not answer: database, redis' }),
});

export type LoginResponse = z.output<typeof loginResponse>;
export type MeetingResponse = z.output<typeof meetingResponse>;
export type HistoryResponse = z.output<typeof historyResponse>;
export type AttendanceResponse = z.output<typeof attendanceResponse>;
export type CreateMeetingBody = z.input<typeof createMeetingBody>;
