import { assertValid, DomainError } from '../../domain/errors';
import { Password } from '../../domain/password';
import { PersonName } from '../../domain/person-name';
import { toPublicUser, type PublicUser } from '../../domain/user';
import { Username } from '../../domain/username';
import type { Clock } from '../ports/clock';
import type { IdGenerator } from '../ports/id-generator';
import type { PasswordHasher } from '../ports/password-hasher';
import type { UserRepository } from '../ports/user-repository';

export interface RegisterUserInput {
  name: string;
  username: string;
  password: string;
}

export class RegisterUser {
  constructor(
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
  ) {}

  async execute(input: RegisterUserInput): Promise<PublicUser> {
    assertValid({
      name: PersonName.problem(input.name),
      username: Username.problem(input.username),
      password: Password.problem(input.password),
    });
    // Checked before hashing so a taken name costs no bcrypt work; add() still guards the race.
    if (await this.users.findByUsername(input.username)) {
      throw new DomainError('USERNAME_TAKEN', 'That username is already taken');
    }
    const user = {
      id: this.ids.next(),
      name: PersonName.normalize(input.name),
      username: input.username,
      passwordHash: await this.hasher.hash(input.password),
      createdAt: this.clock.now(),
    };
    await this.users.add(user);
    return toPublicUser(user);
  }
}
