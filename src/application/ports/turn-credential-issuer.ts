export interface TurnCredential {
  username: string;
  credential: string;
}

/**
 * Issues TURN credentials that the configured TURN servers accept until a fixed lifetime from now, and refuse after.
 * issue: `subject` (at most 128 characters) names who the credential is for in the TURN server's logs and quotas;
 *   every call issues a fresh credential and never throws for such a subject.
 */
export interface TurnCredentialIssuer {
  issue(subject: string): Promise<TurnCredential>;
}
