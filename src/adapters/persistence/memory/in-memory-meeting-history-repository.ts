import type { MeetingHistoryRepository } from '../../../application/ports/meeting-history-repository';
import type { MeetingHistoryEntry } from '../../../domain/meeting-history';

export class InMemoryMeetingHistoryRepository implements MeetingHistoryRepository {
  private readonly byUser = new Map<string, MeetingHistoryEntry[]>();

  async add(entry: MeetingHistoryEntry): Promise<void> {
    const entries = this.byUser.get(entry.userId) ?? [];
    entries.push({ ...entry });
    this.byUser.set(entry.userId, entries);
  }

  async listByUser(userId: string, limit: number): Promise<MeetingHistoryEntry[]> {
    const entries = this.byUser.get(userId) ?? [];
    return entries
      .map((entry, index) => ({ entry, index }))
      .sort((a, b) => b.entry.date.getTime() - a.entry.date.getTime() || b.index - a.index)
      .slice(0, limit)
      .map(({ entry }) => ({ ...entry }));
  }
}
