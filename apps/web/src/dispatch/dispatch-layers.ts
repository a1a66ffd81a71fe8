import type { Feature, FeatureCollection, Geometry, Point, Polygon } from 'geojson';
import { STATUS_COLORS } from '../map/offline-style';
import type { Camera, CrewDay, HotspotCollection, IncidentItem } from './staff-api';
import { sectorPolygon, type Overlay } from './StaffMap';

export const DISPATCH_LAYERS = {
  reports: 'staff-report-points',
  hotspotFill: 'staff-hotspot-fill',
  hotspotLine: 'staff-hotspot-line',
  hotspotPoint: 'staff-hotspot-point',
  cameraSector: 'staff-camera-sector',
  cameraPoint: 'staff-camera-point',
  incidents: 'staff-incident-points',
  route: 'staff-route-line',
} as const;

export const SEVERITY_COLORS = { low: '#fdd49e', mid: '#fc8d59', high: '#b30000' } as const;
export const CAMERA_COLORS = { active: '#1565c0', offline: '#c62828' } as const;

export interface MapReport {
  id: string;
  status: string;
  category: string;
  lon: number;
  lat: number;
}

export function reportsOverlay(reports: MapReport[], selected: ReadonlySet<string>): Overlay {
  const data: FeatureCollection<Point> = {
    type: 'FeatureCollection',
    features: reports.map((r) => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [r.lon, r.lat] },
      properties: { id: r.id, status: r.status, category: r.category, selected: selected.has(r.id) },
    })),
  };
  return {
    id: 'staff-reports',
    data,
    clickable: [DISPATCH_LAYERS.reports],
    layers: [
      {
        id: DISPATCH_LAYERS.reports,
        type: 'circle',
        paint: {
          'circle-radius': ['case', ['get', 'selected'], 9, 6],
          'circle-color': ['match', ['get', 'status'], ...Object.entries(STATUS_COLORS).flat(), '#8c8c8c'] as never,
          'circle-stroke-color': ['case', ['get', 'selected'], '#0d47a1', '#ffffff'],
          'circle-stroke-width': ['case', ['get', 'selected'], 3, 1.5],
        },
      },
    ],
  };
}

/** Hotspots, the outskirts ones drawn strongly; `rank` 1 is the most severe. */
export function hotspotsOverlay(hotspots: HotspotCollection): Overlay {
  const max = Math.max(1, ...hotspots.features.map((f) => Number(f.properties.severity) || 0));
  const data: FeatureCollection = {
    type: 'FeatureCollection',
    features: hotspots.features.map((f) => ({
      type: 'Feature',
      geometry: f.geometry,
      properties: { id: f.properties.id, severity01: (Number(f.properties.severity) || 0) / max, outskirts: !!f.properties.outskirts, status: f.properties.status },
    })),
  };
  const color = ['interpolate', ['linear'], ['get', 'severity01'], 0, SEVERITY_COLORS.low, 0.5, SEVERITY_COLORS.mid, 1, SEVERITY_COLORS.high] as never;
  return {
    id: 'staff-hotspots',
    data,
    clickable: [DISPATCH_LAYERS.hotspotFill, DISPATCH_LAYERS.hotspotPoint],
    layers: [
      {
        id: DISPATCH_LAYERS.hotspotFill,
        type: 'fill',
        filter: ['==', ['geometry-type'], 'Polygon'],
        paint: { 'fill-color': color, 'fill-opacity': ['case', ['get', 'outskirts'], 0.55, 0.25] },
      },
      {
        id: DISPATCH_LAYERS.hotspotLine,
        type: 'line',
        filter: ['==', ['geometry-type'], 'Polygon'],
        paint: { 'line-color': color, 'line-width': ['case', ['get', 'outskirts'], 3, 1], 'line-dasharray': [2, 1] },
      },
      {
        id: DISPATCH_LAYERS.hotspotPoint,
        type: 'circle',
        filter: ['==', ['geometry-type'], 'Point'],
        paint: {
          'circle-radius': ['interpolate', ['linear'], ['get', 'severity01'], 0, 8, 1, 16],
          'circle-color': color,
          'circle-opacity': 0.6,
          'circle-stroke-color': SEVERITY_COLORS.high,
          'circle-stroke-width': ['case', ['get', 'outskirts'], 2.5, 1],
        },
      },
    ],
  };
}

/** Camera positions with their view sectors; offline ones in red. */
export function camerasOverlay(cameras: Camera[]): Overlay {
  const features: Feature<Geometry, Record<string, unknown>>[] = [];
  for (const c of cameras) {
    if (c.status === 'retired') continue;
    const view: Polygon = c.view ?? { type: 'Polygon', coordinates: [sectorPolygon(c.position.lon, c.position.lat, c.bearingDeg, c.fovDeg, c.rangeM)] };
    features.push({ type: 'Feature', geometry: view, properties: { id: c.id, status: c.status, kind: 'sector' } });
    features.push({ type: 'Feature', geometry: { type: 'Point', coordinates: [c.position.lon, c.position.lat] }, properties: { id: c.id, status: c.status, kind: 'camera' } });
  }
  const color = ['match', ['get', 'status'], 'offline', CAMERA_COLORS.offline, CAMERA_COLORS.active] as never;
  return {
    id: 'staff-cameras',
    data: { type: 'FeatureCollection', features },
    clickable: [DISPATCH_LAYERS.cameraPoint],
    layers: [
      { id: DISPATCH_LAYERS.cameraSector, type: 'fill', filter: ['==', ['get', 'kind'], 'sector'], paint: { 'fill-color': color, 'fill-opacity': 0.18, 'fill-outline-color': color } },
      {
        id: DISPATCH_LAYERS.cameraPoint,
        type: 'circle',
        filter: ['==', ['get', 'kind'], 'camera'],
        // A filled dot (a ring means "chosen for a work order" on this map).
        paint: { 'circle-radius': 5.5, 'circle-color': color, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2 },
      },
    ],
  };
}

export function incidentsOverlay(incidents: IncidentItem[]): Overlay {
  return {
    id: 'staff-incidents',
    data: {
      type: 'FeatureCollection',
      features: incidents
        .filter((i) => i.position)
        .map((i) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [i.position!.lon, i.position!.lat] }, properties: { id: i.id } })),
    },
    clickable: [DISPATCH_LAYERS.incidents],
    layers: [
      {
        id: DISPATCH_LAYERS.incidents,
        type: 'circle',
        paint: { 'circle-radius': 8, 'circle-color': '#6a1b9a', 'circle-opacity': 0.85, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2 },
      },
    ],
  };
}

/** The crew's day: depot -> stops (and unloads) -> depot, as one line. */
export function routeOverlay(day: CrewDay): Overlay {
  const depot: [number, number] = [day.crew.depot.lon, day.crew.depot.lat];
  const coords: [number, number][] = [depot, ...day.stops.map((st) => [st.lon, st.lat] as [number, number])];
  if (day.stops.length) coords.push(depot);
  return {
    id: 'staff-route',
    data: { type: 'FeatureCollection', features: coords.length > 1 ? [{ type: 'Feature', geometry: { type: 'LineString', coordinates: coords }, properties: {} }] : [] },
    layers: [
      {
        id: DISPATCH_LAYERS.route,
        type: 'line',
        layout: { 'line-join': 'round', 'line-cap': 'round' },
        paint: { 'line-color': '#0d47a1', 'line-width': 3.5, 'line-opacity': 0.85 },
      },
    ],
  };
}
