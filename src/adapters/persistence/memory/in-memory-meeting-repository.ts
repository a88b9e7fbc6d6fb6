import type { MeetingRepository } from '../../../application/ports/meeting-repository';
import { meetingCodeTaken, type Meeting } from '../../../domain/meeting';

export class InMemoryMeetingRepository implements MeetingRepository {
  private readonly byCode = new Map<string, Meeting>();

  async add(meeting: Meeting): Promise<void> {
    if (this.byCode.has(meeting.code)) throw meetingCodeTaken();
    this.byCode.set(meeting.code, { ...meeting });
  }

  async findByCode(code: string): Promise<Meeting | null> {
    const meeting = this.byCode.get(code);
    return meeting ? { ...meeting } : null;
  }

  async listByOwner(ownerId: string, limit: number): Promise<Meeting[]> {
    return [...this.byCode.values()]
      .filter((meeting) => meeting.ownerId === ownerId)
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.code < b.code ? 1 : -1))
      .slice(0, limit)
      .map((meeting) => ({ ...meeting }));
  }
}
