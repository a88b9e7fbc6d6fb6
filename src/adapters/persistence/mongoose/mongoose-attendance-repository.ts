import type { Model } from 'mongoose';
import type { AttendanceRepository } from '../../../application/ports/attendance-repository';
import type { AttendanceRecord } from '../../../domain/attendance';
import { attendanceFromDocument, attendanceToDocument } from './mongoose-mapping';
import type { AttendanceDocument } from './mongoose-models';

export class MongooseAttendanceRepository implements AttendanceRepository {
  constructor(private readonly model: Model<AttendanceDocument>) {}

  async add(record: AttendanceRecord): Promise<void> {
    await this.model.create(attendanceToDocument(record));
  }

  async listForUser(userId: string, limit: number): Promise<AttendanceRecord[]> {
    const docs = await this.model
      .find({ userId })
      // _id last: of two records alike, the one added later (ObjectIds grow within a process) comes first.
      .sort({ joinedAt: -1, leftAt: -1, _id: -1 })
      .limit(limit)
      .lean<AttendanceDocument[]>()
      .exec();
    return docs.map(attendanceFromDocument);
  }
}
