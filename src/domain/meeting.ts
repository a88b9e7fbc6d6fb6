import { DomainError } from './errors';
import type { MediaMode } from './media-path';
import { codePointLength, isPrintable } from './text';

/** A meeting someone created: its code is the call it stands for (see MeetingCode.fromJoinPath). */
export interface Meeting {
  code: string;
  /** '' when none was given, so it is always a string to show. */
  title: string;
  ownerId: string;
  /** Whether people wait in the lobby to be let in: the lobby option its call starts with. */
  lobby: boolean;
  /** How its call's media travels (see mediaPath): 'auto' unless the owner chose. */
  media: MediaMode;
  createdAt: Date;
}

export const MeetingTitle = {
  maxLength: 200,
  normalize(raw: string): string {
    return raw.trim();
  },
  problem(raw: string): string | null {
    const value = raw.trim();
    if (codePointLength(value) > MeetingTitle.maxLength) return `must be at most ${MeetingTitle.maxLength} characters`;
    if (!isPrintable(value)) return 'must contain printable characters only';
    return null;
  },
};

export const MEETING_PAGE = { defaultLimit: 50, maxLimit: 200 };

/** What every MeetingRepository throws for a code it already holds. */
export function meetingCodeTaken(): DomainError {
  return new DomainError('MEETING_CODE_TAKEN', 'That meeting code is already taken');
}
