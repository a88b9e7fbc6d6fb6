export type GridView = 'gallery' | 'speaker';

/** What decides the arrangement: the tiles in order (self first), the view chosen, who is pinned, speaks, shares. */
export interface ArrangementInput {
  keys: readonly string[];
  view: GridView;
  selfKey: string | null;
  pinned: string | null;
  speaker: string | null;
  sharing: string | null;
  /** The large tile until now: it stays large when nothing says otherwise, so silence does not shuffle tiles. */
  previousLarge: string | null;
  page: number;
  perPage: number;
}

export interface Arrangement {
  /** The large tile in speaker view; null in the gallery. */
  large: string | null;
  /** The tiles drawn, in order (in speaker view: the large one, then the strip). */
  shown: string[];
  page: number;
  pages: number;
}

/** Pinned beats a shared screen, which beats the active speaker; then whoever was large, then the first other person. */
function largeTile(input: ArrangementInput): string | null {
  const present = (key: string | null): key is string => key !== null && input.keys.includes(key);
  for (const key of [input.pinned, input.sharing, input.speaker, input.previousLarge]) if (present(key)) return key;
  return input.keys.find((key) => key !== input.selfKey) ?? input.keys[0] ?? null;
}

export function arrange(input: ArrangementInput): Arrangement {
  if (input.view === 'speaker') {
    const large = largeTile(input);
    return { large, shown: large === null ? [] : [large, ...input.keys.filter((key) => key !== large)], page: 0, pages: 1 };
  }
  const perPage = Math.max(1, input.perPage);
  const pages = Math.max(1, Math.ceil(input.keys.length / perPage));
  const page = Math.min(Math.max(0, input.page), pages - 1);
  return { large: null, shown: input.keys.slice(page * perPage, (page + 1) * perPage), page, pages };
}
