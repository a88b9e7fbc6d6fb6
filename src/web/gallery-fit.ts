/** How a gallery lays out its tiles in an area: columns and rows, each tile's size, and how many tiles a page holds. */
export interface GalleryFit {
  columns: number;
  rows: number;
  /** Tiles shown at once; past it the gallery pages. */
  perPage: number;
  tileWidth: number;
  tileHeight: number;
}

export interface GalleryArea {
  width: number;
  height: number;
  /** Space between tiles, in the same unit. */
  gap: number;
  /** Below this width a tile is too small to see anyone: fewer tiles go on a page. */
  minTileWidth: number;
}

const ASPECT = 16 / 9;

/** The largest 16:9 tiles `n` can be in the area, over every choice of column count. */
function largest(n: number, area: GalleryArea): Omit<GalleryFit, 'perPage'> {
  let best = { columns: 1, rows: n, tileWidth: 0, tileHeight: 0 };
  for (let columns = 1; columns <= n; columns += 1) {
    const rows = Math.ceil(n / columns);
    const byWidth = (area.width - area.gap * (columns - 1)) / columns;
    const byHeight = ((area.height - area.gap * (rows - 1)) / rows) * ASPECT;
    const tileWidth = Math.max(0, Math.floor(Math.min(byWidth, byHeight)));
    if (tileWidth > best.tileWidth) best = { columns, rows, tileWidth, tileHeight: Math.floor(tileWidth / ASPECT) };
  }
  return best;
}

/** Fits `n` tiles (at least one) into the area, as many to a page as stay at least `minTileWidth` wide. */
export function fitGallery(n: number, area: GalleryArea): GalleryFit {
  const count = Math.max(1, n);
  for (let perPage = count; perPage > 1; perPage -= 1) {
    const fit = largest(perPage, area);
    if (fit.tileWidth >= area.minTileWidth) return { ...fit, perPage };
  }
  return { ...largest(1, area), perPage: 1 };
}
