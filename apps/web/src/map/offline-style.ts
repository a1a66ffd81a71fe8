import type { ExpressionSpecification, StyleSpecification } from 'maplibre-gl';
import type { FeatureCollection } from 'geojson';

/**
 * Offline fallback style, built entirely in code.
 *
 * The machines running Taza Map may have no internet access, so this style references nothing
 * outside the app: no tile URLs, no `glyphs`, no `sprite`. It is a background colour plus our own
 * GeoJSON sources, which start empty and are filled with data from /api/v1/* (see CityMap).
 * Without glyphs there are no text/symbol layers: city names are HTML markers and district names
 * are shown in popups.
 */

export const SOURCE_IDS = {
  cities: 'cities',
  cores: 'city-cores',
  districts: 'districts',
} as const;

export const LAYER_IDS = {
  background: 'background',
  cityFill: 'city-fill',
  coreFill: 'city-core-fill',
  districtFill: 'district-fill',
  districtLine: 'district-line',
  coreLine: 'city-core-line',
  cityLine: 'city-boundary-line',
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

export function buildOfflineStyle(): StyleSpecification {
  return {
    version: 8,
    name: 'Taza Map offline',
    // Intentionally no "glyphs" and no "sprite": nothing may be fetched from outside the app.
    sources: {
      [SOURCE_IDS.cities]: { type: 'geojson', data: EMPTY_FC, tolerance: 0.3 },
      [SOURCE_IDS.cores]: { type: 'geojson', data: EMPTY_FC, tolerance: 0.3 },
      // generateId gives every district a numeric id for the hover feature-state.
      [SOURCE_IDS.districts]: { type: 'geojson', data: EMPTY_FC, tolerance: 0.3, generateId: true },
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
    ],
  };
}
