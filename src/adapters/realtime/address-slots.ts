import type { IncomingHttpHeaders } from 'node:http';

/** The client's address as the HTTP API sees it: the first X-Forwarded-For entry when behind a trusted proxy. */
export function clientAddress(handshake: { address: string; headers: IncomingHttpHeaders }, trustProxy: boolean): string {
  const forwarded = handshake.headers['x-forwarded-for'];
  const first = trustProxy ? (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim() : undefined;
  return first || handshake.address;
}

/** Open connections per client address on this node, at most `limit` each. */
export class AddressSlots {
  private readonly open = new Map<string, number>();

  constructor(private readonly limit: number) {}

  /** Takes a slot for `address`; false when it already holds `limit`. */
  take(address: string): boolean {
    const held = this.open.get(address) ?? 0;
    if (held >= this.limit) return false;
    this.open.set(address, held + 1);
    return true;
  }

  release(address: string): void {
    const held = this.open.get(address) ?? 0;
    if (held <= 1) this.open.delete(address);
    else this.open.set(address, held - 1);
  }
}
