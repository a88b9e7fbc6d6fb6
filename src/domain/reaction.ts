/** The emoji a participant may send as a reaction: a closed list, so a reaction is never free text on others' screens. */
export const REACTIONS = ['👍', '👏', '😂', '❤️', '🎉', '😮', '🤔', '🙏'] as const;
export type Reaction = (typeof REACTIONS)[number];

export function isReaction(value: unknown): value is Reaction {
  return REACTIONS.some((reaction) => reaction === value);
}
