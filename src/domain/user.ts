export interface User {
  id: string;
  name: string;
  username: string;
  passwordHash: string;
  createdAt: Date;
}

/** What may leave the service about a user: never the hash. */
export interface PublicUser {
  id: string;
  name: string;
  username: string;
}

export function toPublicUser(user: User): PublicUser {
  return { id: user.id, name: user.name, username: user.username };
}
