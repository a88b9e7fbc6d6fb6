import { DomainError } from '../../domain/errors';
import { toPublicUser, type PublicUser } from '../../domain/user';
import type { UserRepository } from '../ports/user-repository';

export interface GetCurrentUserInput {
  userId: string;
}

export class GetCurrentUser {
  constructor(private readonly users: UserRepository) {}

  async execute(input: GetCurrentUserInput): Promise<PublicUser> {
    const user = await this.users.findById(input.userId);
    if (!user) throw new DomainError('NOT_FOUND', 'User not found');
    return toPublicUser(user);
  }
}
