import type { ExpressionSpecification, StyleSpecification } from 'maplibre-gl';
import type { FeatureCollection } from 'geojson';

/**
 * Offline fallback style, built entirely in code.
 *
 * The machines running Taza Map may have no internet access, so this style references nothing
 * outside the app: no third-party tile URLs, no `glyphs`, no `sprite`. It is a background colour,
 * our own GeoJSON sources (empty at first, filled with data from /api/v1/* by CityMap) and the
 * reports vector tiles of our own API (`/tiles/reports.json`, same origin).
 * Without glyphs there are no text/symbol layers: city names are HTML markers and district names
 * are shown in popups.
 */

export const SOURCE_IDS = {
  cities: 'cities',
  cores: 'city-cores',
  districts: 'districts',
  reports: 'reports',
} as const;

/** MVT layer name inside the report tiles. */
export const REPORTS_SOURCE_LAYER = 'reports';

/** From this zoom the report tiles hold one point per report; below, aggregated grid cells. */
export const REPORT_POINTS_MIN_ZOOM = 11;

/** The report lifecycle's statuses, in order. */
export const REPORT_STATUSES = ['submitted', 'registered', 'in_progress', 'resolved', 'closed', 'rejected', 'duplicate'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

/** Waste categories (category codes of the API). */
export const REPORT_CATEGORIES = ['household', 'construction', 'tyres', 'bulky', 'green', 'hazardous', 'burning'] as const;
export type ReportCategory = (typeof REPORT_CATEGORIES)[number];

/** Open statuses are warm, resolved is blue, finished ones are grey. */
export const STATUS_COLORS: Record<ReportStatus, string> = {
  submitted: '#d7301f',
  registered: '#f16913',
  in_progress: '#fdae2b',
  resolved: '#2b7bba',
  closed: '#8c8c8c',
  rejected: '#8c8c8c',
  duplicate: '#8c8c8c',
};

/** Colour of an aggregated cell: from all closed (grey) to all open (red). */
export const CELL_COLORS = { closed: '#8c8c8c', mixed: '#fd8d3c', open: '#d7301f' } as const;

export const LAYER_IDS = {
  background: 'background',
  cityFill: 'city-fill',
  coreFill: 'city-core-fill',
  districtFill: 'district-fill',
  districtLine: 'district-line',
  coreLine: 'city-core-line',
  cityLine: 'city-boundary-line',
  reportCells: 'report-cells',
  reportPoints: 'report-points',
} as const;

export const COLORS = {
  background: '#e9eee6',
  cityFill: '#f7f9f4',
  boundary: '#1b5e20',
  core: '#f3e3b3',
  coreLine: '#c9a94f',
  districtLine: '#4f5d56',
} as const;

/** Soft, distinguishable colours for districts (cycled within each city). */
export const DISTRICT_PALETTE = [
  '#4e79a7',
  '#f28e2b',
  '#59a14f',
  '#b07aa1',
  '#e15759',
  '#76b7b2',
  '#edc948',
  '#9c755f',
  '#ff9da7',
  '#86bcb6',
] as const;

export const EMPTY_FC: FeatureCollection = { type: 'FeatureCollection', features: [] };

const lineWidth = (base: number): ExpressionSpecification => [
  'interpolate',
  ['linear'],
  ['zoom'],
  4,
  base,
  10,
  base * 1.6,
  14,
  base * 2.4,
];

const statusColor: ExpressionSpecification = [
  'match',
  ['get', 'status'],
  ...REPORT_STATUSES.flatMap((s) => [s, STATUS_COLORS[s]]),
  STATUS_COLORS.closed,
] as unknown as ExpressionSpecification;

const sizeRadius = (scale: number): ExpressionSpecification => [
  'match',
  ['get', 'size'],
  'bag',
  5 * scale,
  'wheelbarrow',
  6.5 * scale,
  'car',
  8 * scale,
  'truck',
  10 * scale,
  6 * scale,
];

const cellCount: ExpressionSpecification = ['max', 1, ['to-number', ['get', 'count'], 1]];

/** The reports TileJSON of the API this page came from. */
export function reportsTileJsonUrl(): string {
  return new URL('/tiles/reports.json', window.location.origin).href;
}

export function buildOfflineStyle(reportsUrl: string = reportsTileJsonUrl()): StyleSpecification {
  return {
    version: 8,
    name: 'Taza Map offline',
    // Intentionally no "glyphs" and no "sprite": nothing may be fetched from outside the app.
    sources: {
      [SOURCE_IDS.cities]: { type: 'geojson', data: EMPTY_FC, tolerance: 0.3 },
      [SOURCE_IDS.cores]: { type: 'geojson', data: EMPTY_FC, tolerance: 0.3 },
      // generateId gives every district a numeric id for the hover feature-state.
      [SOURCE_IDS.districts]: { type: 'geojson', data: EMPTY_FC, tolerance: 0.3, generateId: true },
      // TileJSON of our own API (absolute `tiles` URL on the same host); 204 = empty tile.
      [SOURCE_IDS.reports]: { type: 'vector', url: reportsUrl },
    },
    layers: [
      {
        id: LAYER_IDS.background,
        type: 'background',
        paint: { 'background-color': COLORS.background },
      },
      {
        id: LAYER_IDS.cityFill,
        type: 'fill',
        source: SOURCE_IDS.cities,
        paint: { 'fill-color': COLORS.cityFill, 'fill-opacity': 0.85 },
      },
      {
        id: LAYER_IDS.coreFill,
        type: 'fill',
        source: SOURCE_IDS.cores,
        paint: { 'fill-color': COLORS.core, 'fill-opacity': 0.9 },
      },
      {
        id: LAYER_IDS.districtFill,
        type: 'fill',
        source: SOURCE_IDS.districts,
        paint: {
          'fill-color': ['get', 'color'],
          'fill-opacity': ['case', ['boolean', ['feature-state', 'hover'], false], 0.55, 0.28],
        },
      },
      {
        id: LAYER_IDS.districtLine,
        type: 'line',
        source: SOURCE_IDS.districts,
        layout: { 'line-join': 'round' },
        paint: {
          'line-color': COLORS.districtLine,
          'line-width': lineWidth(0.6),
          'line-opacity': 0.7,
        },
      },
      {
        id: LAYER_IDS.coreLine,
        type: 'line',
        source: SOURCE_IDS.cores,
        layout: { 'line-join': 'round' },
        paint: {
          'line-color': COLORS.coreLine,
          'line-width': lineWidth(0.8),
          'line-dasharray': [3, 2],
        },
      },
      {
        id: LAYER_IDS.cityLine,
        type: 'line',
        source: SOURCE_IDS.cities,
        layout: { 'line-join': 'round', 'line-cap': 'round' },
        paint: {
          'line-color': COLORS.boundary,
          'line-width': lineWidth(2),
        },
      },
      {
        // Below z11: grid cells, area proportional to the number of reports, colour by the open share.
        id: LAYER_IDS.reportCells,
        type: 'circle',
        source: SOURCE_IDS.reports,
        'source-layer': REPORTS_SOURCE_LAYER,
        maxzoom: REPORT_POINTS_MIN_ZOOM,
        filter: ['has', 'count'],
        paint: {
          'circle-radius': ['min', 36, ['+', 4, ['*', 2.5, ['sqrt', cellCount]]]],
          'circle-color': [
            'interpolate',
            ['linear'],
            ['/', ['to-number', ['get', 'open'], 0], cellCount],
            0,
            CELL_COLORS.closed,
            0.5,
            CELL_COLORS.mixed,
            1,
            CELL_COLORS.open,
          ],
          'circle-opacity': 0.75,
          'circle-stroke-color': '#ffffff',
          'circle-stroke-width': 1.2,
        },
      },
      {
        // From z11: one point per report, colour by status, radius by size.
        id: LAYER_IDS.reportPoints,
        type: 'circle',
        source: SOURCE_IDS.reports,
        'source-layer': REPORTS_SOURCE_LAYER,
        minzoom: REPORT_POINTS_MIN_ZOOM,
        filter: ['has', 'status'],
        paint: {
          'circle-radius': ['interpolate', ['linear'], ['zoom'], REPORT_POINTS_MIN_ZOOM, sizeRadius(0.8), 16, sizeRadius(1.5)],
          'circle-color': statusColor,
          'circle-opacity': 0.9,
          'circle-stroke-color': '#ffffff',
          'circle-stroke-width': 1.5,
        },
      },
    ],
  };
}
