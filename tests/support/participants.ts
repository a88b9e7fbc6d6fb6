import { addressBanKeyOf, banKeyOf, INITIAL_MEDIA, nameKey, type ParticipantDraft } from '../../src/domain/call';

// Shared with the benches (tsconfig.bench.json compiles it): no Jest in here.

export interface DraftOptions {
  /** Logged in when given; a guest otherwise. */
  userId?: string | null;
  name?: string;
  /** The address it joins from, which its ban keys derive from. */
  address?: string;
}

/** A participant as a join brings it: named, member, media off, nothing forced off. */
export function participantDraft(id: string, { userId = null, name = `name-${id}`, address = `10.0.0.${id.length}` }: DraftOptions = {}): ParticipantDraft {
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
  };
}

/** A named participant, logged in when `userId` is given, as the stores' tests build them. */
export const person = (id: string, userId: string | null = null, name = `name-${id}`): ParticipantDraft => participantDraft(id, { userId, name });
