import { DomainError } from '../../domain/errors';
import type { MeetingRepository } from '../ports/meeting-repository';
import type { CallRoster } from '../ports/call-store';

export interface GetMeetingInput {
  code: string;
}

/** What anyone with the link may see: how many are in the call, never who. */
export interface MeetingInfo {
  code: string;
  title: string;
  lobby: boolean;
  live: boolean;
  participants: number;
}

/** A created meeting and its call now; a code nobody created (an ad-hoc call, live or not) is NOT_FOUND. */
export class GetMeeting {
  constructor(
    private readonly meetings: MeetingRepository,
    private readonly calls: Pick<CallRoster, 'countParticipants'>,
  ) {}

  async execute(input: GetMeetingInput): Promise<MeetingInfo> {
    const meeting = await this.meetings.findByCode(input.code);
    if (!meeting) throw new DomainError('NOT_FOUND', 'No meeting has this code');
    const participants = await this.calls.countParticipants(meeting.code);
    return { code: meeting.code, title: meeting.title, lobby: meeting.lobby, live: participants > 0, participants };
  }
}
