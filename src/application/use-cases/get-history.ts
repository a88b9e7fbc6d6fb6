import { assertValid } from '../../domain/errors';
import { HISTORY_PAGE, type MeetingHistoryEntry } from '../../domain/meeting-history';
import type { MeetingHistoryRepository } from '../ports/meeting-history-repository';

export interface GetHistoryInput {
  userId: string;
  limit?: number;
}

export class GetHistory {
  constructor(private readonly history: MeetingHistoryRepository) {}

  async execute(input: GetHistoryInput): Promise<MeetingHistoryEntry[]> {
    const limit = input.limit ?? HISTORY_PAGE.defaultLimit;
    assertValid({
      limit:
        Number.isInteger(limit) && limit >= 1 && limit <= HISTORY_PAGE.maxLimit
          ? null
          : `must be a whole number from 1 to ${HISTORY_PAGE.maxLimit}`,
    });
    return this.history.listByUser(input.userId, limit);
  }
}
