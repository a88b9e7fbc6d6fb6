import { assertValid, DomainError, isDomainError } from '../../domain/errors';
import { MeetingTitle, type Meeting } from '../../domain/meeting';
import { MeetingCode } from '../../domain/meeting-code';
import type { MediaMode } from '../../domain/media-path';
import type { Clock } from '../ports/clock';
import type { MeetingCodeGenerator } from '../ports/meeting-code-generator';
import type { MeetingRepository } from '../ports/meeting-repository';
import type { CallRoster } from '../ports/call-store';

export interface CreateMeetingInput {
  ownerId: string;
  /** Chosen by the owner; generated when absent. */
  code?: string;
  title?: string;
  lobby?: boolean;
  media?: MediaMode;
}

/** Tries of fresh generated codes: among 26^10 codes, a second try is already a rarity and a fifth a broken generator. */
const GENERATED_CODE_ATTEMPTS = 5;

/**
 * Meeting codes and live calls are one namespace: a code whose call is live, or whose ad-hoc call ended within the
 * hold, is taken. A race with the first join of a new ad-hoc call cannot grant anything either: a live call keeps the
 * owner it started with (see CallStore).
 */
export class CreateMeeting {
  constructor(
    private readonly meetings: MeetingRepository,
    private readonly codes: MeetingCodeGenerator,
    private readonly clock: Clock,
    private readonly calls: Pick<CallRoster, 'codeInUse'>,
  ) {}

  async execute(input: CreateMeetingInput): Promise<Meeting> {
    assertValid({
      code: input.code === undefined ? null : MeetingCode.linkSafe.problem(input.code),
      title: input.title === undefined ? null : MeetingTitle.problem(input.title),
    });
    const draft = { title: MeetingTitle.normalize(input.title ?? ''), ownerId: input.ownerId, lobby: input.lobby ?? false, media: input.media ?? 'auto', createdAt: this.clock.now() };
    if (input.code !== undefined) return this.add({ code: input.code, ...draft });

    for (let attempt = 1; attempt <= GENERATED_CODE_ATTEMPTS; attempt += 1) {
      try {
        return await this.add({ code: this.codes.next(), ...draft });
      } catch (error) {
        if (!isDomainError(error) || error.code !== 'MEETING_CODE_TAKEN') throw error;
      }
    }
    throw new DomainError('INTERNAL', 'No free meeting code was found; try again');
  }

  private async add(meeting: Meeting): Promise<Meeting> {
    if (await this.calls.codeInUse(meeting.code)) {
      throw new DomainError('MEETING_CODE_TAKEN', 'A call is using this code, or used it recently; choose another code');
    }
    await this.meetings.add(meeting);
    return meeting;
  }
}
