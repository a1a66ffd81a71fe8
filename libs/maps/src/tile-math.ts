import { MapsErrors } from './maps.errors.js';

/** Vector tile geometry: 4096 units a side with a 64-unit buffer (the usual MVT choice). */
export const TILE_EXTENT = 4096;
export const TILE_BUFFER = 64;
export const MAX_ZOOM = 22;

/** Below this zoom the reports layer serves pre-aggregated grid cells, never raw points. */
export const REPORT_POINTS_MIN_ZOOM = 11;

export interface GridLevel {
  cellZoom: number;
  maxTileZoom: number;
}

/**
 * Levels of report_cells (one row per cell and category, per-status counts; migration 14) and the tile
 * zooms each serves. A tile of zoom z shows cells of zoom z + CELLS_PER_TILE_LOG2 (32 x 32 a tile, at
 * most 1024 features), re-aggregated from the stored level, which must be at least that fine: with a
 * level every two zooms a drawn cell regroups at most 2 x 2 stored ones.
 */
export const CELL_LEVELS: readonly GridLevel[] = [
  { cellZoom: 11, maxTileZoom: 6 },
  { cellZoom: 13, maxTileZoom: 8 },
  { cellZoom: 15, maxTileZoom: REPORT_POINTS_MIN_ZOOM - 1 },
];

/**
 * Levels of report_grid (also keyed by month of creation; migration 7): read only by date-filtered
 * low-zoom tiles, which need the month.
 */
export const MONTH_GRID_LEVELS: readonly GridLevel[] = [
  { cellZoom: 11, maxTileZoom: 6 },
  { cellZoom: 15, maxTileZoom: REPORT_POINTS_MIN_ZOOM - 1 },
];
export const CELLS_PER_TILE_LOG2 = 5;

export interface TileCoord {
  z: number;
  x: number;
  y: number;
}

/** Parses z/x/y path segments; a bad one is a 400 naming the field. */
export function parseTileCoord(z: string, x: string, y: string): TileCoord {
  const int = (field: string, raw: string, max: number) => {
    if (!/^\d{1,8}$/.test(raw) || Number(raw) > max) throw MapsErrors.field(field, `must be a whole number from 0 to ${max}`);
    return Number(raw);
  };
  const zoom = int('z', z, MAX_ZOOM);
  const last = 2 ** zoom - 1;
  return { z: zoom, x: int('x', x, last), y: int('y', y, last) };
}

export interface GridQuery {
  /** The stored level read. */
  cellZoom: number;
  /** Right shift from stored cells to the cells drawn in this tile. */
  shift: number;
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
}

/** Which stored grid cells a low-zoom tile covers and how to group them; null at point zooms. */
export function gridQueryFor(tile: TileCoord, levels: readonly GridLevel[] = CELL_LEVELS): GridQuery | null {
  if (tile.z >= REPORT_POINTS_MIN_ZOOM) return null;
  const level = levels.find((l) => tile.z <= l.maxTileZoom);
  if (!level) return null;
  const span = 2 ** (level.cellZoom - tile.z);
  const drawn = Math.min(tile.z + CELLS_PER_TILE_LOG2, level.cellZoom);
  return {
    cellZoom: level.cellZoom,
    shift: level.cellZoom - drawn,
    xMin: tile.x * span,
    xMax: (tile.x + 1) * span - 1,
    yMin: tile.y * span,
    yMax: (tile.y + 1) * span - 1,
  };
}

/** The tile holding a lon/lat point at zoom z (for tests and links). */
export function tileOf(lon: number, lat: number, z: number): TileCoord {
  const n = 2 ** z;
  const rad = (lat * Math.PI) / 180;
  const x = Math.floor(((lon + 180) / 360) * n);
  const y = Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n);
  return { z, x: Math.min(Math.max(x, 0), n - 1), y: Math.min(Math.max(y, 0), n - 1) };
}
