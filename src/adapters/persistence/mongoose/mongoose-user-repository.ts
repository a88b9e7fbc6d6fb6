import type { Model } from 'mongoose';
import type { UserRepository } from '../../../application/ports/user-repository';
import type { User } from '../../../domain/user';
import { Username } from '../../../domain/username';
import { translateUserWriteError, userFromDocument, userToDocument } from './mongoose-mapping';
import type { UserDocument } from './mongoose-models';

export class MongooseUserRepository implements UserRepository {
  constructor(private readonly model: Model<UserDocument>) {}

  async add(user: User): Promise<void> {
    try {
      await this.model.create(userToDocument(user));
    } catch (error) {
      throw translateUserWriteError(error);
    }
  }

  async findById(id: string): Promise<User | null> {
    const doc = await this.model.findById(id).lean<UserDocument>().exec();
    return doc ? userFromDocument(doc) : null;
  }

  async findByUsername(username: string): Promise<User | null> {
    const doc = await this.model.findOne({ usernameKey: Username.key(username) }).lean<UserDocument>().exec();
    return doc ? userFromDocument(doc) : null;
  }
}
