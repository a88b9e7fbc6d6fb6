import type { ErrorBody } from '../adapters/error-table';
import type { AttendanceResponse, CreateMeetingBody, HistoryResponse, LoginResponse, MeetingResponse } from '../adapters/http/schemas';

/** An error answer of the API: `message` is one sentence to show as it is, `details` names the fields at fault. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody,
  ) {
    super(body.message);
  }
}

interface Call {
  method: 'GET' | 'POST';
  path: string;
  json?: unknown;
  /** Sends the session's token; a 401 then means the session is over. */
  auth: boolean;
}

/**
 * The HTTP API (src/adapters/http), typed by its schemas. Answers are taken as the schemas say, unchecked, as
 * signaling.ts takes acks: they come from this page's own server, whose answers the integration tests check.
 */
export class Api {
  constructor(
    private readonly token: () => string | null,
    /** A request sent with a token was refused as unauthenticated: the token no longer works. */
    private readonly onSessionEnded: () => void,
  ) {}

  async register(body: { name: string; username: string; password: string }): Promise<void> {
    await this.send({ method: 'POST', path: '/api/v1/users/register', json: body, auth: false });
  }

  login(body: { username: string; password: string }): Promise<LoginResponse> {
    return this.send({ method: 'POST', path: '/api/v1/users/login', json: body, auth: false });
  }

  /** Ends the session on the server; a token that already stopped working has nothing left to end. */
  async logout(): Promise<void> {
    const token = this.token();
    if (!token) return;
    await fetch('/api/v1/users/logout', { method: 'POST', headers: { authorization: `Bearer ${token}` } });
  }

  createMeeting(body: CreateMeetingBody): Promise<MeetingResponse> {
    return this.send({ method: 'POST', path: '/api/v1/meetings', json: body, auth: true });
  }

  myMeetings(): Promise<MeetingResponse[]> {
    return this.send({ method: 'GET', path: '/api/v1/meetings', auth: true });
  }

  attendance(): Promise<AttendanceResponse> {
    return this.send({ method: 'GET', path: '/api/v1/users/attendance', auth: true });
  }

  history(): Promise<HistoryResponse> {
    return this.send({ method: 'GET', path: '/api/v1/users/get_all_activity', auth: true });
  }

  async addToHistory(meetingCode: string): Promise<void> {
    await this.send({ method: 'POST', path: '/api/v1/users/add_to_activity', json: { meeting_code: meetingCode }, auth: true });
  }

  private async send<T>(call: Call): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (call.json !== undefined) headers['content-type'] = 'application/json';
    const token = call.auth ? this.token() : null;
    if (token) headers.authorization = `Bearer ${token}`;
    let response: Response;
    try {
      response = await fetch(call.path, { method: call.method, headers, body: call.json === undefined ? undefined : JSON.stringify(call.json) });
    } catch {
      throw new ApiError(0, { code: 'SERVICE_UNAVAILABLE', message: 'Cannot reach the server; check your connection and try again.' });
    }
    const text = await response.text();
    const body: unknown = text ? parseJson(text) : undefined;
    if (response.ok) return body as T;
    if (response.status === 401 && token) this.onSessionEnded();
    throw new ApiError(response.status, isErrorBody(body) ? body : { code: 'INTERNAL', message: `The server answered ${response.status}.` });
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isErrorBody(body: unknown): body is ErrorBody {
  return typeof body === 'object' && body !== null && 'message' in body && typeof body.message === 'string' && 'code' in body;
}
