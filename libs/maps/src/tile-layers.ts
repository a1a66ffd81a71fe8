import { CELL_LEVELS, gridQueryFor, MAX_ZOOM, MONTH_GRID_LEVELS, REPORT_POINTS_MIN_ZOOM, type TileCoord } from './tile-math.js';
import type { FilterName, TileFilters } from './tile-filters.js';
import { CLOSED_STATUSES, OPEN_STATUSES, type TilesRepository } from './tiles.repository.js';

/** The report lifecycle's statuses (the report_status enum); a spec checks them against libs/reports. */
export const MAP_REPORT_STATUSES: readonly string[] = [...OPEN_STATUSES, ...CLOSED_STATUSES];

/**
 * Which cities' features a viewer gets from a staff layer: a dispatcher's or akim's own city, every
 * city (null) for admins and national akims. Public layers are always built with every city.
 */
export interface TileScope {
  cityId: string | null;
}

export const ALL_CITIES: TileScope = { cityId: null };

/**
 * One map layer. Adding a layer is one entry here plus its SQL method in TilesRepository (see "Adding a
 * layer" in docs/tiles.md). Staff layers answer 401 to anonymous callers and 403 to residents and crews,
 * are built for the viewer's city and cached privately.
 */
export interface TileLayer {
  id: string;
  name: string;
  description: string;
  access: 'public' | 'staff';
  minzoom: number;
  maxzoom: number;
  filters: readonly FilterName[];
  /** TileJSON vector_layers[].fields: property name -> type and meaning. */
  fields: Record<string, string>;
  /** The tile's MVT bytes (empty when no feature). `scope` is ALL_CITIES on public layers. */
  render(repo: TilesRepository, tile: TileCoord, filters: TileFilters, scope: TileScope): Promise<Buffer>;
  /** Changes whenever any tile of the layer may change: part of the cache key. */
  version(repo: TilesRepository): Promise<string>;
  /** Housekeeping the service runs now and then (never needed for correct tiles). */
  maintain?(repo: TilesRepository): Promise<unknown>;
}

const statusCountFields = Object.fromEntries(
  MAP_REPORT_STATUSES.map((s) => [`status_${s}`, `Number: z<${REPORT_POINTS_MIN_ZOOM} cells only, reports in status ${s} (absent when 0)`]),
);

export const TILE_LAYERS: readonly TileLayer[] = [
  {
    id: 'reports',
    name: 'Illegal dump reports',
    description: `Resident reports: points from z${REPORT_POINTS_MIN_ZOOM}, aggregated grid cells below (count, open, closed and per-status counts).`,
    access: 'public',
    minzoom: 0,
    maxzoom: MAX_ZOOM,
    filters: ['status', 'category', 'from', 'to'],
    fields: {
      id: `String: z>=${REPORT_POINTS_MIN_ZOOM} points only, report UUID`,
      status: `String: z>=${REPORT_POINTS_MIN_ZOOM} points only, one of ${MAP_REPORT_STATUSES.join(', ')}`,
      category: `String: z>=${REPORT_POINTS_MIN_ZOOM} points only, category code (GET /api/v1/categories)`,
      size: `String: z>=${REPORT_POINTS_MIN_ZOOM} points only, bag, wheelbarrow, car or truck`,
      confirmations: `Number: z>=${REPORT_POINTS_MIN_ZOOM} points only, how many other residents confirmed it`,
      outskirts: `Boolean: z>=${REPORT_POINTS_MIN_ZOOM} points only, outside the city's built-up core`,
      created_at: `Number: z>=${REPORT_POINTS_MIN_ZOOM} points only, creation time in epoch seconds`,
      count: `Number: z<${REPORT_POINTS_MIN_ZOOM} cells only, reports in the cell (after filters)`,
      open: `Number: z<${REPORT_POINTS_MIN_ZOOM} cells only, reports in ${OPEN_STATUSES.join(', ')}`,
      closed: `Number: z<${REPORT_POINTS_MIN_ZOOM} cells only, reports in ${CLOSED_STATUSES.join(', ')}`,
      ...statusCountFields,
    },
    render(repo, tile, filters) {
      if (tile.z >= REPORT_POINTS_MIN_ZOOM) return repo.reportPoints(tile, filters);
      // Only a date filter needs the month-keyed (larger) report_grid.
      const dated = filters.from !== null || filters.to !== null;
      const grid = gridQueryFor(tile, dated ? MONTH_GRID_LEVELS : CELL_LEVELS)!;
      return dated ? repo.reportMonthCells(tile, grid, filters) : repo.reportCells(tile, grid, filters);
    },
    version: (repo) => repo.reportsVersion(),
    maintain: (repo) => repo.foldGridDeltas(),
  },
  {
    id: 'districts',
    name: 'Districts (akimat service areas)',
    description: 'The areas each akimat answers for; reports are routed by them.',
    access: 'public',
    minzoom: 0,
    maxzoom: MAX_ZOOM,
    filters: [],
    fields: {
      id: 'String: district UUID',
      city_id: 'String: city UUID',
      slug: 'String: short name, unique within the city',
      name_kk: 'String: name in Kazakh',
      name_ru: 'String: name in Russian',
      name_en: 'String: name in English',
    },
    render: (repo, tile) => repo.districts(tile),
    version: (repo) => repo.districtsVersion(),
  },
  {
    id: 'cameras',
    name: 'CCTV cameras (staff)',
    description: 'Cameras watching the outskirts: a point at each camera and its view sector (filter by geometry type); retired cameras are left out.',
    access: 'staff',
    minzoom: 0,
    maxzoom: MAX_ZOOM,
    filters: [],
    fields: {
      id: 'String: camera UUID',
      name: 'String: the camera\'s name',
      status: 'String: active, offline (no heartbeat within its interval)',
      bearing: 'Number: direction of view, degrees clockwise from north',
      fov: 'Number: field of view, degrees',
      range: 'Number: how far it sees, metres',
    },
    render: (repo, tile, _filters, scope) => repo.cameras(tile, scope.cityId),
    version: (repo) => repo.camerasVersion(),
  },
  {
    id: 'landfills',
    name: 'Landfills',
    description: 'Landfill sites with their status and fill level (from the daily forecast); details for staff at /api/v1/landfills.',
    access: 'public',
    minzoom: 0,
    maxzoom: MAX_ZOOM,
    filters: [],
    fields: {
      id: 'String: landfill UUID',
      name: 'String: the site\'s name',
      status: 'String: operating, closing or closed',
      fill_percent: 'Number: used share of the design capacity, percent, one decimal (absent before the first forecast)',
    },
    render: (repo, tile) => repo.landfills(tile),
    version: (repo) => repo.landfillsVersion(),
  },
  {
    id: 'incidents',
    name: 'CCTV incidents (staff)',
    description: 'Incidents flagged by cameras in the last 30 days, pending review or confirmed (dismissed ones are left out). Never snapshots.',
    access: 'staff',
    minzoom: 0,
    maxzoom: MAX_ZOOM,
    filters: [],
    fields: {
      id: 'String: incident UUID',
      status: 'String: pending (waits for a dispatcher) or confirmed',
      class: 'String: what the analytics saw: dumping, vehicle_unloading, fire, littering',
      confidence: 'Number: the analytics\' confidence, 0 to 1',
      camera_id: 'String: camera UUID',
      occurred_at: 'Number: when it happened, epoch seconds',
      report_id: 'String: the report it became (confirmed incidents only)',
    },
    render: (repo, tile, _filters, scope) => repo.incidents(tile, scope.cityId),
    version: (repo) => repo.incidentsVersion(),
  },
  {
    id: 'hotspots',
    name: 'Dumping hotspots',
    description: 'Places where dumping repeats (hull polygons of clustered reports and CCTV incidents), kept current by the worker.',
    access: 'public',
    minzoom: 0,
    maxzoom: MAX_ZOOM,
    filters: [],
    fields: {
      id: 'String: hotspot UUID',
      city_id: 'String: city UUID',
      status: 'String: active, cleared or recurring',
      report_count: 'Number: open reports in it',
      incident_count: 'Number: CCTV-confirmed incidents in it',
      confirmation_count: 'Number: confirmations of its reports by other residents',
    },
    render: (repo, tile) => repo.hotspots(tile),
    version: (repo) => repo.hotspotsVersion(),
  },
];
