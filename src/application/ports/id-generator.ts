/** Unique, unguessable identifiers (used for users, sessions, messages). */
export interface IdGenerator {
  next(): string;
}
