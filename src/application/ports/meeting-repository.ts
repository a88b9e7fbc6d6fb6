import type { Meeting } from '../../domain/meeting';

/**
 * Stores created meetings, one per code.
 * add: throws DomainError MEETING_CODE_TAKEN when the code is already stored, decided by the store itself (a unique
 *   key), so of two concurrent adds of one code exactly one succeeds; the first one is kept unchanged.
 * findByCode: the meeting with exactly this code; null when none.
 * listByOwner: at most `limit` meetings of that owner, newest createdAt first, equal times by code descending; [] when none.
 */
export interface MeetingRepository {
  add(meeting: Meeting): Promise<void>;
  findByCode(code: string): Promise<Meeting | null>;
  listByOwner(ownerId: string, limit: number): Promise<Meeting[]>;
}
