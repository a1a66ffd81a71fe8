import { useMemo } from 'react';
import type { Feature, Geometry } from 'geojson';
import type { CityCollection, DistrictCollection } from '../api/types';
import { useI18n } from '../i18n/I18nProvider';
import { format } from '../i18n/dictionaries';
import { useStaffStrings } from '../i18n/use-staff-strings';
import type { CameraSuggestion } from '../dispatch/staff-api';
import { formatNumber } from '../dispatch/staff-format';
import { sectorPolygon, StaffMap, type MapMarker, type Overlay } from '../dispatch/StaffMap';

interface Props {
  /** undefined: loading; null: the server has no hotspots module. */
  suggestions: CameraSuggestion[] | null | undefined;
  cities: CityCollection | null;
  districts: DistrictCollection | null;
  cityId: string;
}

/** Where the next cameras should go: recurring outskirts hotspots no camera sees, with a spot covering each. */
export function CameraSuggestions({ suggestions, cities, districts, cityId }: Props) {
  const { lang } = useI18n();
  const s = useStaffStrings();

  const overlays: Overlay[] = useMemo(() => {
    const features: Feature<Geometry, Record<string, unknown>>[] = [];
    for (const x of suggestions ?? []) {
      if (x.hull) features.push({ type: 'Feature', geometry: x.hull, properties: { kind: 'hull' } });
      const c = x.suggestion;
      if (c) features.push({ type: 'Feature', geometry: { type: 'Polygon', coordinates: [sectorPolygon(c.lon, c.lat, c.bearingDeg, c.fovDeg, c.rangeM)] }, properties: { kind: 'view' } });
    }
    return [
      {
        id: 'akim-suggestions',
        data: { type: 'FeatureCollection', features },
        layers: [
          { id: 'akim-suggestion-hull', type: 'fill', filter: ['==', ['get', 'kind'], 'hull'], paint: { 'fill-color': '#b30000', 'fill-opacity': 0.5 } },
          { id: 'akim-suggestion-view', type: 'fill', filter: ['==', ['get', 'kind'], 'view'], paint: { 'fill-color': '#1565c0', 'fill-opacity': 0.2, 'fill-outline-color': '#1565c0' } },
        ],
      },
    ];
  }, [suggestions]);

  const markers: MapMarker[] = useMemo(
    () =>
      (suggestions ?? []).flatMap((x) =>
        x.suggestion ? [{ key: x.hotspotId, lngLat: [x.suggestion.lon, x.suggestion.lat] as [number, number], label: `#${x.rank}`, className: 'staff-marker staff-marker--camera', title: format(s.suggestionN, { n: String(x.rank) }) }] : [],
      ),
    [suggestions, s],
  );

  return (
    <section className="akim-card" aria-labelledby="akim-cameras">
      <h3 id="akim-cameras" className="staff-h3">
        {s.cameraSuggestionsTitle} <span className="staff-count">{suggestions?.length ?? 0}</span>
      </h3>
      <p className="staff-hint">{s.cameraSuggestionsHint}</p>
      {suggestions === undefined ? (
        <p className="staff-empty">{s.loading}</p>
      ) : suggestions === null ? (
        <p className="staff-empty">{s.moduleMissing}</p>
      ) : suggestions.length === 0 ? (
        <p className="staff-empty">{s.noSuggestions}</p>
      ) : (
        <>
          <ol className="staff-list" data-testid="camera-suggestions">
            {suggestions.map((x) => (
              <li key={x.hotspotId} className="staff-item">
                <div className="staff-item__row">
                  <span className="staff-item__title">
                    <span className="staff-rank">#{x.rank}</span> {format(s.severity, { n: formatNumber(x.severity, lang, 1) })}
                  </span>
                  <span className="staff-tag staff-tag--danger">{format(s.recurredTimes, { n: String(x.recurrences) })}</span>
                </div>
                <div className="staff-item__meta">
                  <span>{format(s.hotspotReports, { n: String(x.reportCount) })}</span>
                  {x.incidentCount > 0 && <span>{format(s.hotspotIncidents, { n: String(x.incidentCount) })}</span>}
                </div>
                <div className="staff-item__meta">
                  {x.suggestion ? (
                    <span>
                      {format(s.suggestedAt, { lat: x.suggestion.lat.toFixed(5), lon: x.suggestion.lon.toFixed(5) })} · {format(s.facing, { n: formatNumber(x.suggestion.bearingDeg, lang, 0) })} ·{' '}
                      {format(s.metresAway, { n: formatNumber(x.suggestion.distanceM, lang, 0) })}
                    </span>
                  ) : (
                    <span>{s.noSpotFound}</span>
                  )}
                </div>
              </li>
            ))}
          </ol>
          <div className="akim-choropleth__map akim-suggestions__map">
            <StaffMap cities={cities} districts={districts} cityId={cityId} overlays={overlays} markers={markers} label={s.cameraSuggestionsTitle} testId="suggestions-map" />
          </div>
        </>
      )}
    </section>
  );
}
