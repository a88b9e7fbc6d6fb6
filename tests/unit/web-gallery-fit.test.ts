import { fitGallery } from '../../src/web/gallery-fit';

const area = (width: number, height: number) => ({ width, height, gap: 8, minTileWidth: 160 });

describe('fitGallery: columns and rows for n 16:9 tiles in an area', () => {
  it.each<[string, number, number, number, { columns: number; rows: number; perPage: number }]>([
    ['one tile fills a wide screen', 1, 1280, 720, { columns: 1, rows: 1, perPage: 1 }],
    ['two side by side on a wide screen', 2, 1280, 720, { columns: 2, rows: 1, perPage: 2 }],
    ['two stacked on a phone', 2, 360, 600, { columns: 1, rows: 2, perPage: 2 }],
    ['three stacked on a phone', 3, 360, 600, { columns: 1, rows: 3, perPage: 3 }],
    ['three on a wide screen: two rows of two', 3, 1280, 720, { columns: 2, rows: 2, perPage: 3 }],
    ['four in a square', 4, 1280, 720, { columns: 2, rows: 2, perPage: 4 }],
    ['nine in three by three', 9, 1280, 720, { columns: 3, rows: 3, perPage: 9 }],
    ['twenty-five fit at 1920 by 1080', 25, 1920, 1080, { columns: 5, rows: 5, perPage: 25 }],
    ['fifty page on a wide screen', 50, 1280, 720, { columns: 7, rows: 7, perPage: 49 }],
    ['ten fit a tall phone', 10, 360, 600, { columns: 2, rows: 5, perPage: 10 }],
    ['ten page on a short phone', 10, 360, 400, { columns: 2, rows: 4, perPage: 8 }],
    ['none is drawn as one', 0, 1280, 720, { columns: 1, rows: 1, perPage: 1 }],
    ['an area too small for any tile still shows one', 3, 100, 50, { columns: 1, rows: 1, perPage: 1 }],
  ])('%s (%d tiles in %dx%d)', (_what, n, width, height, expected) => {
    expect(fitGallery(n, area(width, height))).toMatchObject(expected);
  });

  it('the tiles and gaps stay inside the area', () => {
    for (const n of [1, 2, 3, 5, 7, 12, 30]) {
      for (const [width, height] of [[360, 400], [1280, 600], [800, 800]] as const) {
        const fit = fitGallery(n, area(width, height));
        expect(fit.columns * fit.tileWidth + 8 * (fit.columns - 1)).toBeLessThanOrEqual(width);
        expect(fit.rows * fit.tileHeight + 8 * (fit.rows - 1)).toBeLessThanOrEqual(height);
        expect(fit.columns * fit.rows).toBeGreaterThanOrEqual(Math.min(n, fit.perPage));
      }
    }
  });
});
