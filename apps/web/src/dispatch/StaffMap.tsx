import { useEffect, useRef, useState } from 'react';
import type { FeatureCollection } from 'geojson';
import type { ExpressionSpecification, GeoJSONSource, LayerSpecification, MapGeoJSONFeature } from 'maplibre-gl';
import type { CityCollection, DistrictCollection } from '../api/types';
import { useI18n } from '../i18n/I18nProvider';
import { cityBBox, cityBoundaries, cityCores, districtAreas } from '../map/map-data';
import { maplibregl } from '../map/maplibre';
import { flatMapOptions, KAZAKHSTAN_BOUNDS } from '../map/map-options';
import { buildOfflineStyle, LAYER_IDS, SOURCE_IDS } from '../map/offline-style';
import { hasWebGL2 } from '../map/webgl';

declare global {
  interface Window {
    /** Test hook: the staff screens' maplibregl.Map once loaded. */
    __tazaStaffMap?: maplibregl.Map;
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type OverlayLayer = DistributiveOmit<Exclude<LayerSpecification, { type: 'background' }>, 'source'>;

/** A GeoJSON source of ours with its layers (the layers name no source: it is filled in). */
export interface Overlay {
  id: string;
  data: FeatureCollection;
  layers: OverlayLayer[];
  /** Layers whose features answer clicks. */
  clickable?: string[];
}

/** An HTML marker (numbers, pins): the offline style has no glyphs for text layers. */
export interface MapMarker {
  key: string;
  lngLat: [number, number];
  label: string;
  className: string;
  title?: string;
  testId?: string;
  onClick?: () => void;
}

interface StaffMapProps {
  cities: CityCollection | null;
  districts: DistrictCollection | null;
  /** The city to show (fitted once per change). */
  cityId: string | null;
  overlays?: Overlay[];
  markers?: MapMarker[];
  /** A fill-color expression for the districts (choropleth); the default palette otherwise. */
  districtFill?: ExpressionSpecification | string | null;
  onFeatureClick?: (layerId: string, feature: MapGeoJSONFeature) => void;
  /** Fly to this point when it changes. */
  focus?: { lon: number; lat: number; zoom?: number; key: string } | null;
  label: string;
  testId?: string;
}

/** The map of the staff screens: our offline style plus the screen's own overlays and markers. */
export function StaffMap({ cities, districts, cityId, overlays = [], markers = [], districtFill, onFeatureClick, focus, label, testId = 'staff-map' }: StaffMapProps) {
  const { t } = useI18n();
  const containerRef = useRef<HTMLDivElement>(null);
  const mapRef = useRef<maplibregl.Map | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [glUnavailable, setGlUnavailable] = useState(false);
  const overlayLayers = useRef(new Map<string, string[]>());
  const clickHandlers = useRef(new Map<string, () => void>());
  const markerEls = useRef(new Map<string, maplibregl.Marker>());
  const onClickRef = useRef(onFeatureClick);
  onClickRef.current = onFeatureClick;

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    if (!hasWebGL2()) {
      setGlUnavailable(true);
      return;
    }
    let map: maplibregl.Map;
    try {
      map = new maplibregl.Map({
        container,
        style: buildOfflineStyle(),
        bounds: KAZAKHSTAN_BOUNDS,
        ...flatMapOptions(t),
        maxZoom: 18,
      });
    } catch (err) {
      console.error('[taza-map] could not create the staff map', err);
      setGlUnavailable(true);
      return;
    }
    mapRef.current = map;
    map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
    map.on('load', () => {
      // The public report tiles would repeat (and contradict, while they catch up) the screen's own layers.
      for (const id of [LAYER_IDS.reportCells, LAYER_IDS.reportPoints]) if (map.getLayer(id)) map.setLayoutProperty(id, 'visibility', 'none');
      setLoaded(true);
      window.__tazaStaffMap = map;
    });
    map.on('error', (e) => console.error('[taza-map] staff map error', e.error));
    const markersNow = markerEls.current;
    const layersNow = overlayLayers.current;
    return () => {
      for (const m of markersNow.values()) m.remove();
      markersNow.clear();
      layersNow.clear();
      map.remove();
      mapRef.current = null;
      if (window.__tazaStaffMap === map) delete window.__tazaStaffMap;
      setLoaded(false);
    };
    // The map is created once; language changes only touch its labels below.
  }, []); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    mapRef.current?.getCanvas().setAttribute('aria-label', label);
  }, [label, loaded]);

  // Base data: city outlines, cores and districts.
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !loaded) return;
    if (cities) {
      void map.getSource<GeoJSONSource>(SOURCE_IDS.cities)?.setData(cityBoundaries(cities));
      void map.getSource<GeoJSONSource>(SOURCE_IDS.cores)?.setData(cityCores(cities));
    }
    if (districts) void map.getSource<GeoJSONSource>(SOURCE_IDS.districts)?.setData(districtAreas(districts));
  }, [loaded, cities, districts]);

  // Fit the chosen city.
  const fitted = useRef<string | null>(null);
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !loaded || !cities || !cityId || fitted.current === cityId) return;
    const city = cities.features.find((f) => f.properties.id === cityId);
    const box = city ? cityBBox(city) : null;
    if (!box) return;
    fitted.current = cityId;
    map.fitBounds(box, { padding: 24, duration: 0, maxZoom: 13 });
  }, [loaded, cities, cityId]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !loaded || !focus) return;
    map.flyTo({ center: [focus.lon, focus.lat], zoom: Math.max(map.getZoom(), focus.zoom ?? 14), duration: 600 });
  }, [loaded, focus?.key]); // eslint-disable-line react-hooks/exhaustive-deps

  // Choropleth (or back to the palette).
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !loaded) return;
    map.setPaintProperty(LAYER_IDS.districtFill, 'fill-color', districtFill ?? ['get', 'color']);
    map.setPaintProperty(LAYER_IDS.districtFill, 'fill-opacity', districtFill ? 0.72 : ['case', ['boolean', ['feature-state', 'hover'], false], 0.55, 0.28]);
  }, [loaded, districtFill]);

  // Overlays: add new sources and layers, update data, remove the ones gone.
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !loaded) return;
    const wanted = new Set(overlays.map((o) => o.id));
    for (const [id, layerIds] of overlayLayers.current) {
      if (wanted.has(id)) continue;
      for (const l of layerIds) if (map.getLayer(l)) map.removeLayer(l);
      if (map.getSource(id)) map.removeSource(id);
      overlayLayers.current.delete(id);
    }
    for (const o of overlays) {
      const source = map.getSource<GeoJSONSource>(o.id);
      if (source) {
        void source.setData(o.data);
        continue;
      }
      map.addSource(o.id, { type: 'geojson', data: o.data });
      for (const layer of o.layers) map.addLayer({ ...layer, source: o.id } as LayerSpecification);
      overlayLayers.current.set(o.id, o.layers.map((l) => l.id));
      for (const layerId of o.clickable ?? []) {
        if (clickHandlers.current.has(layerId)) continue;
        const onClick = (e: maplibregl.MapLayerMouseEvent) => {
          const f = e.features?.[0];
          if (f) onClickRef.current?.(layerId, f);
        };
        const enter = () => (map.getCanvas().style.cursor = 'pointer');
        const leave = () => (map.getCanvas().style.cursor = '');
        map.on('click', layerId, onClick);
        map.on('mouseenter', layerId, enter);
        map.on('mouseleave', layerId, leave);
        clickHandlers.current.set(layerId, () => {
          map.off('click', layerId, onClick);
          map.off('mouseenter', layerId, enter);
          map.off('mouseleave', layerId, leave);
        });
      }
    }
  }, [loaded, overlays]);

  // HTML markers, diffed by key.
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !loaded) return;
    const seen = new Set<string>();
    for (const m of markers) {
      seen.add(m.key);
      markerEls.current.get(m.key)?.remove();
      const el = document.createElement(m.onClick ? 'button' : 'div');
      if (el instanceof HTMLButtonElement) el.type = 'button';
      el.className = m.className;
      el.textContent = m.label;
      if (m.title) {
        el.title = m.title;
        el.setAttribute('aria-label', m.title);
      }
      if (m.testId) el.dataset.testid = m.testId;
      if (m.onClick) {
        const handler = m.onClick;
        el.addEventListener('click', (ev) => {
          ev.stopPropagation();
          handler();
        });
      }
      markerEls.current.set(m.key, new maplibregl.Marker({ element: el }).setLngLat(m.lngLat).addTo(map));
    }
    for (const [key, marker] of markerEls.current) {
      if (!seen.has(key)) {
        marker.remove();
        markerEls.current.delete(key);
      }
    }
  }, [loaded, markers]);

  return (
    <div className="staff-map" data-testid={testId} data-ready={loaded ? 'true' : 'false'}>
      <div ref={containerRef} className="staff-map__canvas" role="region" aria-label={label} />
      {glUnavailable && (
        <div className="map-unavailable" role="alert">
          <p>{t.webglUnavailable}</p>
        </div>
      )}
    </div>
  );
}

/** A camera's view sector as a polygon (bearing clockwise from north, field of view and range). */
export function sectorPolygon(lon: number, lat: number, bearingDeg: number, fovDeg: number, rangeM: number): [number, number][] {
  const ring: [number, number][] = [[lon, lat]];
  const steps = Math.max(4, Math.round(fovDeg / 6));
  const mPerDegLat = 111_320;
  const mPerDegLon = 111_320 * Math.cos((lat * Math.PI) / 180);
  for (let i = 0; i <= steps; i++) {
    const a = ((bearingDeg - fovDeg / 2 + (fovDeg * i) / steps) * Math.PI) / 180;
    ring.push([lon + (Math.sin(a) * rangeM) / mPerDegLon, lat + (Math.cos(a) * rangeM) / mPerDegLat]);
  }
  ring.push([lon, lat]);
  return ring;
}
