/** Unguessable secrets handed to a client to prove something later (a resume token): at least 128 random bits, URL-safe. */
export interface SecretGenerator {
  next(): string;
}
