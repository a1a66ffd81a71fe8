import { useEffect, useRef, useState } from 'react';
import type { GeoJSONSource, LngLatLike, MapGeoJSONFeature, PaddingOptions, StyleSpecification, Subscription } from 'maplibre-gl';
import { maplibregl } from './maplibre';
import { hasWebGL2 } from './webgl';
import { LAYER_IDS, SOURCE_IDS } from './offline-style';
import { loadMapStyle } from './base-style';
import { flatMapOptions, KAZAKHSTAN_BOUNDS } from './map-options';
import { OVERLAY_CLICK_LAYERS, overlayPopupContent, type OverlayInfo } from './overlay-layers';
import {
  cityBBox,
  cityBoundaries,
  cityCentre,
  cityCores,
  districtAreas,
  unionBBox,
  type DistrictMapProps,
} from './map-data';
import type { BBox, CityCollection, CityFeature, DistrictCollection, Lang } from '../api/types';
import { localizedName } from '../api/types';
import { useI18n } from '../i18n/I18nProvider';
import { format, maplibreLocale, type Dictionary } from '../i18n/dictionaries';

declare global {
  interface Window {
    /** Test hook: the maplibregl.Map, set once the map is loaded and the cities are on it. */
    __tazaMap?: maplibregl.Map;
  }
}

/** Height of the CSS tail under a city label (.city-marker::after). */
const MARKER_TAIL_PX = 6;

/** Kazakhstan, shown while the data is loading. */

interface CityMapProps {
  cities: CityCollection | null;
  districts: DistrictCollection | null;
  /** Slug of the chosen city, or null for "all cities". */
  selectedSlug: string | null;
  onSelectCity: (slug: string | null) => void;
  /** Called when MapLibre reports an error before the map became ready. */
  onMapError: () => void;
}

interface MarkerEntry {
  marker: maplibregl.Marker;
  element: HTMLButtonElement;
  city: CityFeature;
}

interface DistrictInfo {
  featureId: string | number | undefined;
  props: DistrictMapProps;
  lngLat: LngLatLike;
}

function prefersReducedMotion(): boolean {
  return typeof window.matchMedia === 'function' && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
}

/** Room around the fitted cities for the HTML labels (drawn above each city centre) and the legend. */
function fitPadding(map: maplibregl.Map): PaddingOptions {
  const { clientWidth: w, clientHeight: h } = map.getContainer();
  const side = Math.min(72, Math.floor(w * 0.18));
  return {
    top: Math.min(56, Math.floor(h * 0.12)),
    bottom: Math.min(48, Math.floor(h * 0.1)),
    left: side,
    right: side,
  };
}

function targetBBox(cities: CityCollection, slug: string | null): BBox | null {
  if (slug) {
    const city = cities.features.find((f) => f.properties.slug === slug);
    if (city) return cityBBox(city);
  }
  return unionBBox(cities.features.map(cityBBox));
}

function districtName(props: DistrictMapProps, lang: Lang): string {
  return localizedName({ kk: props.name_kk, ru: props.name_ru, en: props.name_en }, lang);
}

function districtPopupContent(
  info: DistrictInfo,
  lang: Lang,
  t: Dictionary,
  cityName: string,
): HTMLElement {
  const root = document.createElement('div');
  root.className = 'district-popup__body';
  const kind = document.createElement('div');
  kind.className = 'district-popup__kind';
  kind.textContent = t.districtLabel;
  const name = document.createElement('div');
  name.className = 'district-popup__name';
  name.textContent = districtName(info.props, lang);
  root.append(kind, name);
  if (cityName) {
    const city = document.createElement('div');
    city.className = 'district-popup__city';
    city.textContent = `${t.cityLabel}: ${cityName}`;
    root.append(city);
  }
  return root;
}

/** The properties of one report point of the `reports` tiles (z >= 11). */
interface ReportPointProps {
  id?: string;
  status?: string;
  category?: string;
  size?: string;
  created_at?: number;
}

interface ReportInfo {
  props: ReportPointProps;
  lngLat: LngLatLike;
}

function reportPopupContent(info: ReportInfo, lang: Lang, t: Dictionary): HTMLElement {
  const { category, status, created_at: createdAt } = info.props;
  const root = document.createElement('div');
  root.className = 'district-popup__body report-popup__body';
  root.dataset.testid = 'report-popup';
  const kind = document.createElement('div');
  kind.className = 'district-popup__kind';
  kind.textContent = t.reportLabel;
  const name = document.createElement('div');
  name.className = 'district-popup__name';
  name.dataset.testid = 'report-popup-category';
  name.textContent = (category && t.categories[category]) || category || '';
  const statusRow = document.createElement('div');
  statusRow.className = 'report-popup__row';
  statusRow.dataset.testid = 'report-popup-status';
  statusRow.textContent = `${t.reportStatusLabel}: ${(status && t.statuses[status]) || status || ''}`;
  root.append(kind, name, statusRow);
  if (typeof createdAt === 'number' && Number.isFinite(createdAt)) {
    const created = document.createElement('div');
    created.className = 'report-popup__row';
    created.dataset.testid = 'report-popup-created';
    created.textContent = `${t.reportCreatedLabel}: ${new Intl.DateTimeFormat(lang, { dateStyle: 'medium' }).format(new Date(createdAt * 1000))}`;
    root.append(created);
  }
  root.lang = lang;
  return root;
}

export function CityMap({ cities, districts, selectedSlug, onSelectCity, onMapError }: CityMapProps) {
  const { lang, t } = useI18n();
  const containerRef = useRef<HTMLDivElement>(null);
  const mapRef = useRef<maplibregl.Map | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [glUnavailable, setGlUnavailable] = useState(false);
  // MAP_STYLE_URL when configured and loadable, else the offline style (decided once per page).
  const [baseStyle, setBaseStyle] = useState<StyleSpecification | null>(null);
  useEffect(() => {
    void loadMapStyle().then((choice) => setBaseStyle(choice.style));
  }, []);

  // Latest values for imperative MapLibre callbacks.
  const langRef = useRef(lang);
  const tRef = useRef(t);
  const citiesRef = useRef(cities);
  const selectedRef = useRef(selectedSlug);
  const onSelectRef = useRef(onSelectCity);
  const onErrorRef = useRef(onMapError);
  langRef.current = lang;
  tRef.current = t;
  citiesRef.current = cities;
  selectedRef.current = selectedSlug;
  onSelectRef.current = onSelectCity;
  onErrorRef.current = onMapError;

  const markersRef = useRef(new Map<string, MarkerEntry>());
  const readyRef = useRef(false);
  const fittedRef = useRef(false);
  const controlsRef = useRef<maplibregl.IControl[]>([]);
  const hoverPopupRef = useRef<maplibregl.Popup | null>(null);
  const pinnedPopupRef = useRef<maplibregl.Popup | null>(null);
  const hoverRef = useRef<DistrictInfo | null>(null);
  const pinnedRef = useRef<DistrictInfo | null>(null);
  const pinnedReportRef = useRef<ReportInfo | null>(null);
  const pinnedOverlayRef = useRef<OverlayInfo | null>(null);

  const cityNameById = (cityId: string): string => {
    const city = citiesRef.current?.features.find((f) => f.properties.id === cityId);
    return city ? localizedName(city.properties.name, langRef.current) : '';
  };

  // ---- create the map once -------------------------------------------------------------------
  useEffect(() => {
    const container = containerRef.current;
    if (!container || !baseStyle) return;
    if (!hasWebGL2()) {
      setGlUnavailable(true);
      return;
    }
    let map: maplibregl.Map;
    try {
      map = new maplibregl.Map({
        container,
        style: baseStyle,
        bounds: KAZAKHSTAN_BOUNDS,
        fitBoundsOptions: { padding: 16 },
        ...flatMapOptions(tRef.current),
        maxZoom: 18,
      });
    } catch (err) {
      console.error('[taza-map] could not create the map', err);
      setGlUnavailable(true);
      return;
    }
    mapRef.current = map;
    map.touchZoomRotate.disableRotation();
    map.keyboard.disableRotation();

    const subs: Subscription[] = [];
    subs.push(map.on('load', () => setLoaded(true)));
    subs.push(
      map.on('error', (e) => {
        console.error('[taza-map] map error', e.error);
        if (!readyRef.current) onErrorRef.current();
      }),
    );

    // District names: tooltip on hover (mouse), pinned popup on click/tap.
    const hoverPopup = new maplibregl.Popup({
      closeButton: false,
      closeOnClick: false,
      className: 'district-popup district-popup--hover',
      offset: 14,
      maxWidth: '260px',
    });
    hoverPopupRef.current = hoverPopup;
    let hoveredId: string | number | undefined;
    const setHover = (id: string | number | undefined) => {
      if (hoveredId === id) return;
      if (hoveredId !== undefined) map.setFeatureState({ source: SOURCE_IDS.districts, id: hoveredId }, { hover: false });
      hoveredId = id;
      if (id !== undefined) map.setFeatureState({ source: SOURCE_IDS.districts, id }, { hover: true });
    };
    const infoFrom = (f: MapGeoJSONFeature, lngLat: LngLatLike): DistrictInfo => ({
      featureId: f.id,
      props: f.properties as DistrictMapProps,
      lngLat,
    });

    const at = (point: maplibregl.PointLike, layerIds: readonly string[]): MapGeoJSONFeature | undefined => {
      const layers = layerIds.filter((id) => map.getLayer(id));
      return layers.length ? map.queryRenderedFeatures(point, { layers })[0] : undefined;
    };
    // A report, hotspot or landfill under the pointer has its own popup (the district's gives way).
    const reportAt = (point: maplibregl.PointLike) => at(point, [LAYER_IDS.reportPoints, ...OVERLAY_CLICK_LAYERS]);

    subs.push(
      map.on('mousemove', LAYER_IDS.districtFill, (e) => {
        const f = e.features?.[0];
        if (!f) return;
        if (reportAt(e.point)) {
          // The report's own popup is what a click opens there.
          map.getCanvas().style.cursor = 'pointer';
          setHover(undefined);
          hoverRef.current = null;
          hoverPopup.remove();
          return;
        }
        map.getCanvas().style.cursor = 'pointer';
        setHover(f.id);
        const info = infoFrom(f, e.lngLat);
        hoverRef.current = info;
        if (pinnedRef.current && pinnedRef.current.featureId === info.featureId) {
          hoverPopup.remove();
          return;
        }
        hoverPopup
          .setLngLat(e.lngLat)
          .setDOMContent(districtPopupContent(info, langRef.current, tRef.current, cityNameById(info.props.cityId)))
          .addTo(map);
      }),
    );
    subs.push(
      map.on('mouseleave', LAYER_IDS.districtFill, () => {
        map.getCanvas().style.cursor = '';
        setHover(undefined);
        hoverRef.current = null;
        hoverPopup.remove();
      }),
    );
    subs.push(
      map.on('click', LAYER_IDS.districtFill, (e) => {
        const f = e.features?.[0];
        if (!f || reportAt(e.point)) return;
        const info = infoFrom(f, e.lngLat);
        hoverPopup.remove();
        pinnedPopupRef.current?.remove();
        const popup = new maplibregl.Popup({
          closeButton: true,
          className: 'district-popup district-popup--pinned',
          offset: 8,
          maxWidth: '280px',
        })
          .setLngLat(e.lngLat)
          .setDOMContent(districtPopupContent(info, langRef.current, tRef.current, cityNameById(info.props.cityId)))
          .addTo(map);
        pinnedRef.current = info;
        pinnedReportRef.current = null;
        pinnedPopupRef.current = popup;
        popup.on('close', () => {
          if (pinnedPopupRef.current === popup) {
            pinnedPopupRef.current = null;
            pinnedRef.current = null;
          }
        });
      }),
    );

    // Report points (z >= 11): category, status and date in a popup on click/tap.
    subs.push(
      map.on('mouseenter', LAYER_IDS.reportPoints, () => {
        map.getCanvas().style.cursor = 'pointer';
      }),
    );
    subs.push(
      map.on('mouseleave', LAYER_IDS.reportPoints, () => {
        map.getCanvas().style.cursor = '';
      }),
    );
    subs.push(
      map.on('click', LAYER_IDS.reportPoints, (e) => {
        const f = e.features?.[0];
        if (!f || f.geometry.type !== 'Point') return;
        const [lon, lat] = f.geometry.coordinates;
        const info: ReportInfo = { props: f.properties as ReportPointProps, lngLat: [lon, lat] };
        hoverPopup.remove();
        pinnedPopupRef.current?.remove();
        const popup = new maplibregl.Popup({
          closeButton: true,
          className: 'district-popup district-popup--pinned report-popup',
          offset: 10,
          maxWidth: '280px',
        })
          .setLngLat(info.lngLat)
          .setDOMContent(reportPopupContent(info, langRef.current, tRef.current))
          .addTo(map);
        pinnedRef.current = null;
        pinnedReportRef.current = info;
        pinnedPopupRef.current = popup;
        popup.on('close', () => {
          if (pinnedPopupRef.current === popup) {
            pinnedPopupRef.current = null;
            pinnedReportRef.current = null;
          }
        });
      }),
    );

    // Hotspots and landfills (when the API serves them): status, reports or fill level on click/tap.
    subs.push(
      map.on('click', (e) => {
        if (at(e.point, [LAYER_IDS.reportPoints])) return;
        const f = at(e.point, OVERLAY_CLICK_LAYERS);
        if (!f) return;
        const info: OverlayInfo = { layerId: f.layer.id, props: f.properties, lngLat: [e.lngLat.lng, e.lngLat.lat] };
        hoverPopup.remove();
        pinnedPopupRef.current?.remove();
        const popup = new maplibregl.Popup({ closeButton: true, className: 'district-popup district-popup--pinned report-popup', offset: 8, maxWidth: '280px' })
          .setLngLat(info.lngLat)
          .setDOMContent(overlayPopupContent(info, langRef.current, tRef.current))
          .addTo(map);
        pinnedRef.current = null;
        pinnedReportRef.current = null;
        pinnedOverlayRef.current = info;
        pinnedPopupRef.current = popup;
        popup.on('close', () => {
          if (pinnedPopupRef.current === popup) {
            pinnedPopupRef.current = null;
            pinnedOverlayRef.current = null;
          }
        });
      }),
    );

    const markers = markersRef.current;
    return () => {
      for (const s of subs) s.unsubscribe();
      for (const { marker } of markers.values()) marker.remove();
      markers.clear();
      hoverPopup.remove();
      pinnedPopupRef.current?.remove();
      controlsRef.current = [];
      map.remove();
      mapRef.current = null;
      readyRef.current = false;
      fittedRef.current = false;
      if (window.__tazaMap === map) delete window.__tazaMap;
      delete document.body.dataset.mapReady;
      setLoaded(false);
    };
  }, [baseStyle]);

  // ---- translated MapLibre controls ----------------------------------------------------------
  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    // MapLibre reads its UI strings when a control is added, so re-create the controls.
    map._locale = { ...map._locale, ...maplibreLocale(t) };
    for (const c of controlsRef.current) if (map.hasControl(c)) map.removeControl(c);
    const nav = new maplibregl.NavigationControl({ showCompass: false });
    const attribution = new maplibregl.AttributionControl({ compact: true });
    map.addControl(nav, 'top-right');
    map.addControl(attribution, 'bottom-right');
    controlsRef.current = [nav, attribution];
    map.getCanvas().setAttribute('aria-label', t.mapLabel);
  }, [t, glUnavailable, loaded]);

  // ---- cities: boundaries, cores, markers, initial fit, readiness -----------------------------
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !loaded || !cities) return;
    let cancelled = false;
    let fallbackTimer: number | undefined;

    const markReady = () => {
      if (cancelled || readyRef.current) return;
      readyRef.current = true;
      window.clearTimeout(fallbackTimer);
      window.__tazaMap = map;
      document.body.dataset.mapReady = 'true';
    };

    const citySource = map.getSource<GeoJSONSource>(SOURCE_IDS.cities);
    const coreSource = map.getSource<GeoJSONSource>(SOURCE_IDS.cores);
    if (!citySource || !coreSource) return;

    Promise.all([citySource.setData(cityBoundaries(cities)), coreSource.setData(cityCores(cities))])
      .then(() => {
        if (cancelled) return;
        if (!fittedRef.current) {
          const box = targetBBox(cities, selectedRef.current);
          if (box) map.fitBounds(box, { padding: fitPadding(map), duration: 0, maxZoom: 13 });
          fittedRef.current = true;
        }
        if (readyRef.current) return;
        // Ready once the new data has been rendered. The timer is only a safety net in case
        // 'idle' never comes (e.g. the user keeps the map moving).
        map.once('idle', markReady);
        map.triggerRepaint();
        fallbackTimer = window.setTimeout(() => {
          if (map.isSourceLoaded(SOURCE_IDS.cities)) markReady();
        }, 5000);
      })
      .catch((err: unknown) => {
        if (cancelled) return;
        console.error('[taza-map] could not put the cities on the map', err);
        onErrorRef.current();
      });

    // HTML markers with the city names (the offline style has no glyphs for text layers).
    const markers = markersRef.current;
    for (const { marker } of markers.values()) marker.remove();
    markers.clear();
    for (const city of cities.features) {
      const centre = cityCentre(city);
      if (!centre) continue;
      const slug = city.properties.slug;
      const element = document.createElement('button');
      element.type = 'button';
      element.className = 'city-marker';
      element.dataset.testid = `city-marker-${slug}`;
      element.addEventListener('click', (ev) => {
        ev.stopPropagation();
        onSelectRef.current(slug);
      });
      // The label sits above the centre, its tail pointing at it, so the city polygons stay visible.
      const marker = new maplibregl.Marker({ element, anchor: 'bottom', offset: [0, -MARKER_TAIL_PX] })
        .setLngLat(centre)
        .addTo(map);
      markers.set(slug, { marker, element, city });
    }
    updateMarkerLabels(markers, langRef.current, tRef.current, selectedRef.current);

    return () => {
      cancelled = true;
      window.clearTimeout(fallbackTimer);
      map.off('idle', markReady);
    };
  }, [loaded, cities]);

  // ---- districts -------------------------------------------------------------------------------
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !loaded || !districts) return;
    const source = map.getSource<GeoJSONSource>(SOURCE_IDS.districts);
    source?.setData(districtAreas(districts)).catch((err: unknown) => {
      console.error('[taza-map] could not put the districts on the map', err);
    });
  }, [loaded, districts]);

  // ---- language: marker labels and open popups ------------------------------------------------
  useEffect(() => {
    updateMarkerLabels(markersRef.current, lang, t, selectedSlug);
    const hover = hoverRef.current;
    if (hover && hoverPopupRef.current?.isOpen()) {
      hoverPopupRef.current.setDOMContent(districtPopupContent(hover, lang, t, cityNameById(hover.props.cityId)));
    }
    const pinned = pinnedRef.current;
    if (pinned && pinnedPopupRef.current?.isOpen()) {
      pinnedPopupRef.current.setDOMContent(districtPopupContent(pinned, lang, t, cityNameById(pinned.props.cityId)));
    }
    const pinnedReport = pinnedReportRef.current;
    if (pinnedReport && pinnedPopupRef.current?.isOpen()) {
      pinnedPopupRef.current.setDOMContent(reportPopupContent(pinnedReport, lang, t));
    }
    const pinnedOverlay = pinnedOverlayRef.current;
    if (pinnedOverlay && pinnedPopupRef.current?.isOpen()) {
      pinnedPopupRef.current.setDOMContent(overlayPopupContent(pinnedOverlay, lang, t));
    }
    // (cityNameById only reads refs)
  }, [lang, t, selectedSlug, cities]);

  // ---- city picker: fly to the chosen city (or back to all cities) ------------------------------
  const lastFitSlug = useRef<string | null | undefined>(undefined);
  useEffect(() => {
    const map = mapRef.current;
    if (lastFitSlug.current === undefined) {
      // the first fit happens when the data arrives
      lastFitSlug.current = selectedSlug;
      return;
    }
    if (!map || !cities || lastFitSlug.current === selectedSlug) return;
    lastFitSlug.current = selectedSlug;
    const box = targetBBox(cities, selectedSlug);
    if (!box) return;
    pinnedPopupRef.current?.remove();
    map.fitBounds(box, {
      padding: fitPadding(map),
      maxZoom: 13,
      duration: prefersReducedMotion() ? 0 : 1200,
    });
  }, [selectedSlug, cities]);

  return (
    <>
      <div ref={containerRef} className="map" data-testid="map" aria-label={t.mapLabel} role="region" />
      {glUnavailable && (
        <div className="map-unavailable" role="alert" data-testid="webgl-error">
          <p>{t.webglUnavailable}</p>
        </div>
      )}
    </>
  );
}

function updateMarkerLabels(
  markers: Map<string, MarkerEntry>,
  lang: Lang,
  t: Dictionary,
  selectedSlug: string | null,
): void {
  for (const [slug, { element, city }] of markers) {
    const name = localizedName(city.properties.name, lang) || slug;
    element.textContent = name;
    element.title = format(t.cityMarkerHint, { city: name });
    element.setAttribute('aria-label', format(t.cityMarkerHint, { city: name }));
    element.setAttribute('aria-pressed', String(selectedSlug === slug));
    element.lang = lang;
  }
}
