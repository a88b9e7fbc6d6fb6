/** Which browser origins may call the API: any in development and test, the CLIENT_URL list in production. */
export class OriginPolicy {
  constructor(private readonly allowed: readonly string[] | 'any') {}

  static fromConfig(env: string, clientOrigins: readonly string[]): OriginPolicy {
    return new OriginPolicy(env === 'production' ? clientOrigins : 'any');
  }

  allows(origin: string | undefined): boolean {
    if (!origin) return false;
    return this.allowed === 'any' || this.allowed.includes(origin);
  }
}
