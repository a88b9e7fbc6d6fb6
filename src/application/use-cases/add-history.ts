import { assertValid } from '../../domain/errors';
import { MeetingCode } from '../../domain/meeting-code';
import type { MeetingHistoryEntry } from '../../domain/meeting-history';
import type { Clock } from '../ports/clock';
import type { IdGenerator } from '../ports/id-generator';
import type { MeetingHistoryRepository } from '../ports/meeting-history-repository';

export interface AddHistoryInput {
  userId: string;
  meetingCode: string;
}

export class AddHistory {
  constructor(
    private readonly history: MeetingHistoryRepository,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
  ) {}

  async execute(input: AddHistoryInput): Promise<MeetingHistoryEntry> {
    assertValid({ meeting_code: MeetingCode.problem(input.meetingCode) });
    const entry = {
      id: this.ids.next(),
      userId: input.userId,
      meetingCode: MeetingCode.normalize(input.meetingCode),
      date: this.clock.now(),
    };
    await this.history.add(entry);
    return entry;
  }
}
