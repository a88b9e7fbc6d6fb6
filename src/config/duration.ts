const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "90", "30s", "15m", "1h", "7d" → seconds; null when not of that form. */
export function parseDurationSeconds(text: string): number | null {
  const match = /^(\d+)\s*([smhd]?)$/.exec(text.trim());
  if (!match) return null;
  const seconds = Number(match[1]) * (UNIT_SECONDS[match[2] || 's'] ?? 1);
  return Number.isSafeInteger(seconds) && seconds > 0 ? seconds : null;
}

/** As parseDurationSeconds, also under a second: "500ms", "2s", "90" (seconds) → milliseconds; null when not of that form. */
export function parseDurationMs(text: string): number | null {
  const match = /^(\d+)\s*(ms|[smhd]?)$/.exec(text.trim());
  if (!match) return null;
  const ms = Number(match[1]) * (UNIT_MS[match[2] || 's'] ?? 1000);
  return Number.isSafeInteger(ms) && ms > 0 ? ms : null;
}
