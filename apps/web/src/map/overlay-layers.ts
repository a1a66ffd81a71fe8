import type { ExpressionSpecification, LayerSpecification, SourceSpecification, StyleSpecification } from 'maplibre-gl';
import type { Lang } from '../api/types';
import { format, type Dictionary } from '../i18n/dictionaries';
import { LAYER_IDS } from './offline-style';

/**
 * Public tile layers drawn under the reports when the API serves them: hotspots (clusters of repeated
 * dumping, from the worker) and landfills (fill level from the daily forecast). Each is added only when
 * its TileJSON answers, so a server without the layer still gives a working map.
 */
export type OverlayId = 'hotspots' | 'landfills';

export const HOTSPOT_COLORS: Record<string, string> = { active: '#8e24aa', recurring: '#4a148c', cleared: '#9e9e9e' };
export const LANDFILL_COLORS = { ok: '#43a047', warn: '#fb8c00', critical: '#d32f2f', none: '#9e9e9e' } as const;

export const OVERLAY_LAYER_IDS = {
  hotspotFill: 'hotspot-fill',
  hotspotLine: 'hotspot-line',
  hotspotPoint: 'hotspot-point',
  landfillFill: 'landfill-fill',
  landfillLine: 'landfill-line',
  landfillPoint: 'landfill-point',
} as const;

const hotspotColor: ExpressionSpecification = ['match', ['get', 'status'], 'active', HOTSPOT_COLORS.active, 'recurring', HOTSPOT_COLORS.recurring, HOTSPOT_COLORS.cleared];

/** Green below 75 %, orange to 90 %, red from 90 %; grey with no forecast or for a closed site. */
const landfillColor: ExpressionSpecification = [
  'case',
  ['==', ['get', 'status'], 'closed'],
  LANDFILL_COLORS.none,
  ['!', ['has', 'fill_percent']],
  LANDFILL_COLORS.none,
  ['>=', ['to-number', ['get', 'fill_percent']], 90],
  LANDFILL_COLORS.critical,
  ['>=', ['to-number', ['get', 'fill_percent']], 75],
  LANDFILL_COLORS.warn,
  LANDFILL_COLORS.ok,
];

const isArea: ExpressionSpecification = ['any', ['==', ['geometry-type'], 'Polygon'], ['==', ['geometry-type'], 'MultiPolygon']];
const isPoint: ExpressionSpecification = ['any', ['==', ['geometry-type'], 'Point'], ['==', ['geometry-type'], 'MultiPoint']];

function layersOf(id: OverlayId): LayerSpecification[] {
  if (id === 'hotspots') {
    return [
      { id: OVERLAY_LAYER_IDS.hotspotFill, type: 'fill', source: id, 'source-layer': id, filter: isArea, paint: { 'fill-color': hotspotColor, 'fill-opacity': 0.25 } },
      {
        id: OVERLAY_LAYER_IDS.hotspotLine,
        type: 'line',
        source: id,
        'source-layer': id,
        filter: isArea,
        paint: { 'line-color': hotspotColor, 'line-width': 2, 'line-dasharray': [2, 1] },
      },
      {
        id: OVERLAY_LAYER_IDS.hotspotPoint,
        type: 'circle',
        source: id,
        'source-layer': id,
        filter: isPoint,
        paint: { 'circle-color': hotspotColor, 'circle-radius': 9, 'circle-opacity': 0.35, 'circle-stroke-color': hotspotColor, 'circle-stroke-width': 2 },
      },
    ];
  }
  return [
    { id: OVERLAY_LAYER_IDS.landfillFill, type: 'fill', source: id, 'source-layer': id, filter: isArea, paint: { 'fill-color': landfillColor, 'fill-opacity': 0.45 } },
    { id: OVERLAY_LAYER_IDS.landfillLine, type: 'line', source: id, 'source-layer': id, filter: isArea, paint: { 'line-color': landfillColor, 'line-width': 2 } },
    {
      id: OVERLAY_LAYER_IDS.landfillPoint,
      type: 'circle',
      source: id,
      'source-layer': id,
      filter: isPoint,
      paint: { 'circle-color': landfillColor, 'circle-radius': 8, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2 },
    },
  ];
}

const OVERLAYS: OverlayId[] = ['landfills', 'hotspots'];

/** The overlays the API serves (their TileJSON answers 200). */
export async function availableOverlays(): Promise<OverlayId[]> {
  const found = await Promise.all(
    OVERLAYS.map(async (id) => {
      try {
        const res = await fetch(`/tiles/${id}.json`, { headers: { Accept: 'application/json' } });
        return res.ok ? id : null;
      } catch {
        return null;
      }
    }),
  );
  return found.filter((id): id is OverlayId => id !== null);
}

/** The style with the given overlays' sources and layers, drawn below the report layers. */
export function withOverlays(style: StyleSpecification, overlays: OverlayId[]): StyleSpecification {
  if (!overlays.length) return style;
  const sources: Record<string, SourceSpecification> = { ...style.sources };
  const added: LayerSpecification[] = [];
  for (const id of overlays) {
    sources[id] = { type: 'vector', url: new URL(`/tiles/${id}.json`, window.location.origin).href };
    added.push(...layersOf(id));
  }
  const layers = [...style.layers];
  const at = layers.findIndex((l) => l.id === LAYER_IDS.reportCells || l.id === LAYER_IDS.reportPoints);
  layers.splice(at < 0 ? layers.length : at, 0, ...added);
  return { ...style, sources, layers };
}

/** The overlay layers a click or tap opens a popup on. */
export const OVERLAY_CLICK_LAYERS: readonly string[] = [
  OVERLAY_LAYER_IDS.hotspotFill,
  OVERLAY_LAYER_IDS.hotspotPoint,
  OVERLAY_LAYER_IDS.landfillFill,
  OVERLAY_LAYER_IDS.landfillPoint,
];

export interface OverlayInfo {
  layerId: string;
  props: Record<string, unknown>;
  lngLat: [number, number];
}

/** The popup of a hotspot (status, open reports) or a landfill (name, fill level). */
export function overlayPopupContent(info: OverlayInfo, lang: Lang, t: Dictionary): HTMLElement {
  const r = t.res;
  const hotspot = info.layerId.startsWith('hotspot');
  const root = document.createElement('div');
  root.className = 'district-popup__body report-popup__body';
  root.dataset.testid = hotspot ? 'hotspot-popup' : 'landfill-popup';
  root.lang = lang;
  const row = (className: string, text: string) => {
    const el = document.createElement('div');
    el.className = className;
    el.textContent = text;
    root.append(el);
  };
  const status = String(info.props.status ?? '');
  const number = (v: unknown) => new Intl.NumberFormat(lang, { maximumFractionDigits: 1 }).format(Number(v));
  if (hotspot) {
    row('district-popup__kind', r.hotspotLabel);
    row('district-popup__name', r.hotspotStatuses[status] ?? status);
    row('report-popup__row', format(r.hotspotReports, { n: number(info.props.report_count ?? 0) }));
  } else {
    row('district-popup__kind', r.landfillLabel);
    row('district-popup__name', String(info.props.name ?? ''));
    const pct = info.props.fill_percent;
    row('report-popup__row', status === 'closed' ? r.landfillClosed : pct === undefined || pct === null ? r.landfillNoData : format(r.landfillFill, { pct: number(pct) }));
  }
  return root;
}
