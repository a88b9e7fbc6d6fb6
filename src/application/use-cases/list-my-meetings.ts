import { assertValid } from '../../domain/errors';
import { MEETING_PAGE, type Meeting } from '../../domain/meeting';
import type { MeetingRepository } from '../ports/meeting-repository';

export interface ListMyMeetingsInput {
  ownerId: string;
  limit?: number;
}

export class ListMyMeetings {
  constructor(private readonly meetings: MeetingRepository) {}

  async execute(input: ListMyMeetingsInput): Promise<Meeting[]> {
    const limit = input.limit ?? MEETING_PAGE.defaultLimit;
    assertValid({
      limit:
        Number.isInteger(limit) && limit >= 1 && limit <= MEETING_PAGE.maxLimit
          ? null
          : `must be a whole number from 1 to ${MEETING_PAGE.maxLimit}`,
    });
    return this.meetings.listByOwner(input.ownerId, limit);
  }
}
