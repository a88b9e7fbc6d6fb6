import type { Model } from 'mongoose';
import type { SessionRepository } from '../../../application/ports/session-repository';
import type { Session } from '../../../domain/session';
import { sessionFromDocument, sessionToDocument } from './mongoose-mapping';
import type { SessionDocument } from './mongoose-models';

export class MongooseSessionRepository implements SessionRepository {
  constructor(private readonly model: Model<SessionDocument>) {}

  async add(session: Session): Promise<void> {
    await this.model.create(sessionToDocument(session));
  }

  async findActive(id: string, now: Date): Promise<Session | null> {
    const doc = await this.model
      .findOne({ _id: id, revokedAt: null, expiresAt: { $gt: now } })
      .lean<SessionDocument>()
      .exec();
    return doc ? sessionFromDocument(doc) : null;
  }

  async revoke(id: string, at: Date): Promise<void> {
    await this.model.updateOne({ _id: id, revokedAt: null }, { $set: { revokedAt: at } }).exec();
  }

  // The TTL index does this on its own about once a minute; this keeps the port's promise exact.
  async deleteExpired(now: Date): Promise<number> {
    const result = await this.model.deleteMany({ expiresAt: { $lte: now } }).exec();
    return result.deletedCount;
  }
}
