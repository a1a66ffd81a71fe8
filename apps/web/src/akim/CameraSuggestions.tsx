import { useI18n } from '../i18n/I18nProvider';
import { format } from '../i18n/dictionaries';
import { useStaffStrings } from '../i18n/use-staff-strings';
import { formatNumber } from '../dispatch/staff-format';

interface SuggestionView {
  hotspotId: string;
  severity: number | null;
  lon: number | null;
  lat: number | null;
  bearing: number | null;
  status: string | null;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

function view(raw: unknown): SuggestionView {
  const r = (raw ?? {}) as Record<string, unknown>;
  // A GeoJSON feature (the suggested position as its point) or a plain object.
  const p = (r.type === 'Feature' ? r.properties : r) as Record<string, unknown>;
  const geometry = r.geometry as { type?: string; coordinates?: number[] } | undefined;
  const pos = (p.suggestedPosition ?? p.position ?? p.suggested) as { lon?: number; lat?: number; coordinates?: number[] } | undefined;
  const coords = geometry?.type === 'Point' ? geometry.coordinates : pos?.coordinates;
  return {
    hotspotId: String(p.hotspotId ?? p.id ?? ''),
    severity: num(p.severity),
    lon: num(pos?.lon) ?? num(coords?.[0]),
    lat: num(pos?.lat) ?? num(coords?.[1]),
    bearing: num(p.bearing ?? p.suggestedBearing),
    status: typeof p.status === 'string' ? p.status : null,
  };
}

/** Where the next cameras should go: recurring outskirts hotspots no camera sees. */
export function CameraSuggestions({ suggestions }: { suggestions: unknown[] | null | undefined }) {
  const { lang } = useI18n();
  const s = useStaffStrings();
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
        <ol className="staff-list" data-testid="camera-suggestions">
          {suggestions.map(view).map((v, i) => (
            <li key={`${v.hotspotId}-${i}`} className="staff-item">
              <div className="staff-item__row">
                <span className="staff-item__title">
                  <span className="staff-rank">#{i + 1}</span> {format(s.severity, { n: formatNumber(v.severity, lang, 1) })}
                </span>
                {v.status && <span className="staff-tag staff-tag--danger">{s.hotspotStatuses[v.status] ?? v.status}</span>}
              </div>
              <div className="staff-item__meta">
                {v.lon !== null && v.lat !== null && <span>{format(s.suggestedAt, { lat: v.lat.toFixed(5), lon: v.lon.toFixed(5) })}</span>}
                {v.bearing !== null && <span>{format(s.facing, { n: formatNumber(v.bearing, lang, 0) })}</span>}
              </div>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
