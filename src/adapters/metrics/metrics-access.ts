import { createHash, timingSafeEqual } from 'node:crypto';

/** Who may read /metrics: whoever holds the bearer token, or anyone. */
export type MetricsAccess = { kind: 'bearer'; token: string } | { kind: 'open' };

export interface MetricsSettings {
  enabled: boolean;
  token: string | undefined;
  production: boolean;
}

/**
 * With a token, only its bearer; without one, anyone outside production. Null when metrics are off (disabled, or
 * production without a token): nothing is counted and /metrics is an unknown route.
 */
export function metricsAccess(settings: MetricsSettings): MetricsAccess | null {
  if (!settings.enabled) return null;
  if (settings.token !== undefined) return { kind: 'bearer', token: settings.token };
  return settings.production ? null : { kind: 'open' };
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/** Whether an Authorization header carries `Bearer <token>`, compared in constant time (digests: equal lengths). */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const presented = /^Bearer +(\S+)$/i.exec(header ?? '')?.[1];
  return presented !== undefined && timingSafeEqual(digest(presented), digest(token));
}
