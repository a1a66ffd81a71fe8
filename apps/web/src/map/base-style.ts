import type { LayerSpecification, StyleSpecification } from 'maplibre-gl';
import { buildOfflineStyle, LAYER_IDS } from './offline-style';
import { availableOverlays, withOverlays, type OverlayId } from './overlay-layers';

/** What the server tells the web app at start (GET /api/v1/client-config). */
export interface ClientConfig {
  /** A MapLibre style for the base map (e.g. OpenStreetMap-based); null: the offline style. */
  mapStyleUrl: string | null;
  /** A Nominatim-compatible geocoder; null: no address search box. */
  geocoderUrl: string | null;
}

const NO_CONFIG: ClientConfig = { mapStyleUrl: null, geocoderUrl: null };
const STYLE_TIMEOUT_MS = 5000;

let configPromise: Promise<ClientConfig> | null = null;

export function loadClientConfig(): Promise<ClientConfig> {
  configPromise ??= fetch('/api/v1/client-config', { headers: { Accept: 'application/json' } })
    .then(async (res) => {
      if (!res.ok) return NO_CONFIG;
      const body = (await res.json()) as Partial<ClientConfig>;
      const url = (v: unknown) => (typeof v === 'string' && /^https?:\/\//.test(v) ? v : null);
      return { mapStyleUrl: url(body.mapStyleUrl), geocoderUrl: url(body.geocoderUrl) };
    })
    .catch(() => NO_CONFIG);
  return configPromise;
}

/** Our layers that only make sense on the plain offline background (they would hide a real base map). */
const OFFLINE_ONLY: ReadonlySet<string> = new Set([LAYER_IDS.background, LAYER_IDS.cityFill, LAYER_IDS.coreFill]);

function isStyle(v: unknown): v is StyleSpecification {
  const s = v as Partial<StyleSpecification> | null;
  return !!s && s.version === 8 && typeof s.sources === 'object' && s.sources !== null && Array.isArray(s.layers);
}

/** The configured base style with our own sources and layers on top. */
export function overlayOn(base: StyleSpecification, offline: StyleSpecification = buildOfflineStyle()): StyleSpecification {
  const ours = offline.layers.filter((l: LayerSpecification) => !OFFLINE_ONLY.has(l.id));
  const taken = new Set(ours.map((l) => l.id));
  return {
    ...base,
    sources: { ...base.sources, ...offline.sources },
    layers: [...base.layers.filter((l) => !taken.has(l.id)), ...ours],
  };
}

export interface MapStyleChoice {
  style: StyleSpecification;
  /** 'configured': MAP_STYLE_URL loaded; 'offline': none configured; 'fallback': configured but not loadable. */
  source: 'configured' | 'offline' | 'fallback';
  /** The public overlay layers the API serves, drawn in the style. */
  overlays: OverlayId[];
}

let stylePromise: Promise<MapStyleChoice> | null = null;

/** MAP_STYLE_URL when it is configured and loads (within 5 s), else the offline style; with the overlays the API serves. */
export function loadMapStyle(): Promise<MapStyleChoice> {
  stylePromise ??= Promise.all([baseStyle(), availableOverlays()]).then(([choice, overlays]) => ({ ...choice, style: withOverlays(choice.style, overlays), overlays }));
  return stylePromise;
}

async function baseStyle(): Promise<Omit<MapStyleChoice, 'overlays'>> {
  const { mapStyleUrl } = await loadClientConfig();
  if (!mapStyleUrl) return { style: buildOfflineStyle(), source: 'offline' as const };
  const ctrl = new AbortController();
  const timer = window.setTimeout(() => ctrl.abort(), STYLE_TIMEOUT_MS);
  try {
    const res = await fetch(mapStyleUrl, { signal: ctrl.signal });
    const body: unknown = res.ok ? await res.json() : null;
    if (!isStyle(body)) throw new Error(`not a MapLibre style (HTTP ${res.status})`);
    return { style: overlayOn(body), source: 'configured' as const };
  } catch (err) {
    console.warn('[taza-map] MAP_STYLE_URL could not be loaded; using the offline style', err);
    return { style: buildOfflineStyle(), source: 'fallback' as const };
  } finally {
    window.clearTimeout(timer);
  }
}
