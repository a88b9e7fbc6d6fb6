import type { MeetingHistoryEntry } from '../../domain/meeting-history';

/**
 * Stores the meetings each user joined.
 * listByUser: at most `limit` entries of that user, newest date first; [] when none.
 */
export interface MeetingHistoryRepository {
  add(entry: MeetingHistoryEntry): Promise<void>;
  listByUser(userId: string, limit: number): Promise<MeetingHistoryEntry[]>;
}
