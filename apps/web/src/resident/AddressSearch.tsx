import { useEffect, useId, useState, type FormEvent } from 'react';
import { useI18n } from '../i18n/I18nProvider';
import { loadClientConfig } from '../map/base-style';
import type { maplibregl } from '../map/maplibre';

interface Place {
  label: string;
  lon: number;
  lat: number;
}

/**
 * An address search box over a Nominatim-compatible geocoder (GEOCODER_URL). Without one configured
 * the box is not shown at all.
 */
export function AddressSearch({ map, onPick }: { map: maplibregl.Map | null; onPick: (p: { lon: number; lat: number }) => void }) {
  const { t, lang } = useI18n();
  const r = t.res;
  const id = useId();
  const [geocoder, setGeocoder] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<Place[] | null>(null);
  const [failed, setFailed] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    void loadClientConfig().then((c) => live && setGeocoder(c.geocoderUrl));
    return () => {
      live = false;
    };
  }, []);

  if (!geocoder) return null;

  const search = async (e: FormEvent) => {
    e.preventDefault();
    const q = query.trim();
    if (!q) return;
    setBusy(true);
    setFailed(false);
    try {
      const url = new URL(`${geocoder.replace(/\/+$/, '')}/search`);
      url.searchParams.set('q', q);
      url.searchParams.set('format', 'jsonv2');
      url.searchParams.set('limit', '5');
      url.searchParams.set('countrycodes', 'kz');
      url.searchParams.set('accept-language', lang);
      if (map) {
        const b = map.getBounds();
        url.searchParams.set('viewbox', [b.getWest(), b.getNorth(), b.getEast(), b.getSouth()].map((v) => v.toFixed(4)).join(','));
      }
      const res = await fetch(url.href, { headers: { Accept: 'application/json' } });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const body = (await res.json()) as { display_name?: string; lat?: string; lon?: string }[];
      setResults(
        (Array.isArray(body) ? body : [])
          .map((p) => ({ label: String(p.display_name ?? ''), lon: Number(p.lon), lat: Number(p.lat) }))
          .filter((p) => Number.isFinite(p.lon) && Number.isFinite(p.lat)),
      );
    } catch (err) {
      console.warn('[taza-map] geocoder failed', err);
      setFailed(true);
      setResults(null);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="address-search" data-testid="address-search">
      <form role="search" onSubmit={search} className="address-search__form">
        <label htmlFor={`${id}-q`} className="visually-hidden">
          {r.searchLabel}
        </label>
        <input
          id={`${id}-q`}
          className="address-search__input"
          data-testid="address-query"
          type="search"
          value={query}
          placeholder={r.searchPlaceholder}
          onChange={(e) => setQuery(e.target.value)}
        />
        <button type="submit" className="rp-button" data-testid="address-submit" disabled={busy}>
          {r.searchButton}
        </button>
      </form>
      {failed && (
        <p className="address-search__message" role="status">
          {r.searchFailed}
        </p>
      )}
      {results && results.length === 0 && (
        <p className="address-search__message" role="status">
          {r.searchNoResults}
        </p>
      )}
      {results && results.length > 0 && (
        <ul className="address-search__results" aria-label={r.searchResultsLabel} data-testid="address-results">
          {results.map((p, i) => (
            <li key={`${p.lon},${p.lat},${i}`}>
              <button
                type="button"
                className="address-search__result"
                onClick={() => {
                  setResults(null);
                  onPick({ lon: p.lon, lat: p.lat });
                }}
              >
                {p.label}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
