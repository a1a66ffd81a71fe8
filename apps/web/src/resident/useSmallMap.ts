import { useEffect, useRef, useState, type RefObject } from 'react';
import type { GeoJSONSource } from 'maplibre-gl';
import type { BBox, CityCollection, DistrictCollection } from '../api/types';
import { useI18n } from '../i18n/I18nProvider';
import { cityBoundaries, cityCores, districtAreas, unionBBox, cityBBox } from '../map/map-data';
import { maplibregl } from '../map/maplibre';
import { loadMapStyle } from '../map/base-style';
import { flatMapOptions, KAZAKHSTAN_BOUNDS } from '../map/map-options';
import { SOURCE_IDS } from '../map/offline-style';
import { hasWebGL2 } from '../map/webgl';

declare global {
  interface Window {
    /** Test hook: the map of the resident/crew screen, once loaded. */
    __tazaSmallMap?: maplibregl.Map;
  }
}


export interface SmallMapState {
  map: maplibregl.Map | null;
  glUnavailable: boolean;
}

/**
 * A MapLibre map for the report form, the report page and the crew view: the same base style as the
 * public map (MAP_STYLE_URL when it loads, else the offline style with report tiles), the cities and
 * districts drawn, zoom buttons, translated controls. `map` is set once the style has loaded.
 */
export function useSmallMap(
  containerRef: RefObject<HTMLDivElement | null>,
  cities: CityCollection | null,
  districts: DistrictCollection | null,
  initialBounds?: BBox | null,
): SmallMapState {
  const { t } = useI18n();
  const [map, setMap] = useState<maplibregl.Map | null>(null);
  const [glUnavailable, setGlUnavailable] = useState(false);
  const tRef = useRef(t);
  tRef.current = t;
  const boundsRef = useRef(initialBounds);
  boundsRef.current = initialBounds;

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    if (!hasWebGL2()) {
      setGlUnavailable(true);
      return;
    }
    let cancelled = false;
    let created: maplibregl.Map | null = null;
    void loadMapStyle().then(({ style }) => {
      if (cancelled) return;
      try {
        created = new maplibregl.Map({
          container,
          style,
          bounds: boundsRef.current ?? KAZAKHSTAN_BOUNDS,
          fitBoundsOptions: { padding: 24, maxZoom: 16 },
          ...flatMapOptions(tRef.current),
          maxZoom: 19,
        });
      } catch (err) {
        console.error('[taza-map] could not create the map', err);
        setGlUnavailable(true);
        return;
      }
      const m = created;
      m.touchZoomRotate.disableRotation();
      m.keyboard.disableRotation();
      m.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
      m.addControl(new maplibregl.AttributionControl({ compact: true }), 'bottom-right');
      m.on('load', () => {
        if (cancelled) return;
        window.__tazaSmallMap = m;
        setMap(m);
      });
    });
    return () => {
      cancelled = true;
      if (created) {
        if (window.__tazaSmallMap === created) delete window.__tazaSmallMap;
        created.remove();
      }
      setMap(null);
    };
  }, [containerRef]);

  useEffect(() => {
    map?.getCanvas().setAttribute('aria-label', t.mapLabel);
  }, [map, t]);

  useEffect(() => {
    if (!map || !cities) return;
    void map.getSource<GeoJSONSource>(SOURCE_IDS.cities)?.setData(cityBoundaries(cities));
    void map.getSource<GeoJSONSource>(SOURCE_IDS.cores)?.setData(cityCores(cities));
    if (!boundsRef.current) {
      const box = unionBBox(cities.features.map(cityBBox));
      if (box) map.fitBounds(box, { padding: 24, duration: 0 });
    }
  }, [map, cities]);

  useEffect(() => {
    if (!map || !districts) return;
    void map.getSource<GeoJSONSource>(SOURCE_IDS.districts)?.setData(districtAreas(districts));
  }, [map, districts]);

  return { map, glUnavailable };
}
