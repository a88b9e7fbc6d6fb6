import type { Model } from 'mongoose';
import type { MeetingRepository } from '../../../application/ports/meeting-repository';
import type { Meeting } from '../../../domain/meeting';
import { meetingFromDocument, meetingToDocument, translateMeetingWriteError } from './mongoose-mapping';
import type { MeetingDocument } from './mongoose-models';

export class MongooseMeetingRepository implements MeetingRepository {
  constructor(private readonly model: Model<MeetingDocument>) {}

  async add(meeting: Meeting): Promise<void> {
    try {
      await this.model.create(meetingToDocument(meeting));
    } catch (error) {
      throw translateMeetingWriteError(error);
    }
  }

  async findByCode(code: string): Promise<Meeting | null> {
    const doc = await this.model.findById(code).lean<MeetingDocument>().exec();
    return doc ? meetingFromDocument(doc) : null;
  }

  async listByOwner(ownerId: string, limit: number): Promise<Meeting[]> {
    const docs = await this.model
      .find({ ownerId })
      .sort({ createdAt: -1, _id: -1 })
      .limit(limit)
      .lean<MeetingDocument[]>()
      .exec();
    return docs.map(meetingFromDocument);
  }
}
