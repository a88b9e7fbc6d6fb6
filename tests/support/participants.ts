import { addressBanKeyOf, banKeyOf, INITIAL_MEDIA, nameKey, type ParticipantDraft } from '../../src/domain/call';
import type { MediaFacts } from '../../src/application/ports/call-store';

// Shared with the benches (tsconfig.bench.json compiles it): no Jest in here.

export interface DraftOptions {
  /** Logged in when given; a guest otherwise. */
  userId?: string | null;
  name?: string;
  /** The address it joins from, which its ban keys derive from. */
  address?: string;
  /** A front end without acks: mesh calls only. */
  meshOnly?: boolean;
}

/** A participant as a join brings it: named, member, media off, nothing forced off. */
export function participantDraft(id: string, { userId = null, name = `name-${id}`, address = `10.0.0.${id.length}`, meshOnly = false }: DraftOptions = {}): ParticipantDraft {
  return {
    id,
    name,
    nameKey: nameKey(name),
    userId,
    unnamed: false,
    media: { ...INITIAL_MEDIA },
    role: 'member',
    forcedOff: { audio: false, video: false },
    banKey: banKeyOf(userId, address),
    addressBanKey: addressBanKeyOf(address),
    meshOnly,
  };
}

/** A named participant, logged in when `userId` is given, as the stores' tests build them. */
export const person = (id: string, userId: string | null = null, name = `name-${id}`): ParticipantDraft => participantDraft(id, { userId, name });

/** A join's media facts without a media server: every call a mesh of at most `capacity`. */
export function meshMedia(capacity = 8): MediaFacts {
  return { mode: 'auto', sfuAvailable: false, sfuFrom: 3, capacity: { mesh: capacity, sfu: capacity } };
}
