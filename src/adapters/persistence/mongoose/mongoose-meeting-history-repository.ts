import type { Model } from 'mongoose';
import type { MeetingHistoryRepository } from '../../../application/ports/meeting-history-repository';
import type { MeetingHistoryEntry } from '../../../domain/meeting-history';
import { historyFromDocument, historyToDocument } from './mongoose-mapping';
import type { MeetingHistoryDocument } from './mongoose-models';

export class MongooseMeetingHistoryRepository implements MeetingHistoryRepository {
  constructor(private readonly model: Model<MeetingHistoryDocument>) {}

  async add(entry: MeetingHistoryEntry): Promise<void> {
    await this.model.create(historyToDocument(entry));
  }

  async listByUser(userId: string, limit: number): Promise<MeetingHistoryEntry[]> {
    const docs = await this.model
      .find({ userId })
      .sort({ date: -1 })
      .limit(limit)
      .lean<MeetingHistoryDocument[]>()
      .exec();
    return docs.map(historyFromDocument);
  }
}
