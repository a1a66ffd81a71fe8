import { useCallback, useEffect, useState } from 'react';
import { fetchCities, fetchDistricts } from './api/client';
import type { CityCollection, DistrictCollection } from './api/types';
import { Header } from './components/Header';
import { Legend } from './components/Legend';
import { ErrorBanner, LoadingChip } from './components/StatusBanner';
import { useI18n } from './i18n/I18nProvider';
import { CityMap } from './map/CityMap';

type LoadState = 'loading' | 'ready' | 'error';

export function App() {
  const { t } = useI18n();
  const [cities, setCities] = useState<CityCollection | null>(null);
  const [districts, setDistricts] = useState<DistrictCollection | null>(null);
  const [loadState, setLoadState] = useState<LoadState>('loading');
  const [attempt, setAttempt] = useState(0);
  const [mapFailed, setMapFailed] = useState(false);
  const [selectedSlug, setSelectedSlug] = useState<string | null>(null);

  useEffect(() => {
    const ctrl = new AbortController();
    setLoadState('loading');
    Promise.all([fetchCities(ctrl.signal), fetchDistricts(undefined, ctrl.signal)])
      .then(([c, d]) => {
        setCities(c);
        setDistricts(d);
        setLoadState('ready');
      })
      .catch((err: unknown) => {
        if (ctrl.signal.aborted) return;
        console.error('[taza-map] failed to load map data', err);
        setLoadState('error');
      });
    return () => ctrl.abort();
  }, [attempt]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  const onMapError = useCallback(() => setMapFailed(true), []);

  return (
    <div className="app">
      <Header cities={cities} selectedSlug={selectedSlug} onSelectCity={setSelectedSlug} />
      <main className="map-area">
        <CityMap
          cities={cities}
          districts={districts}
          selectedSlug={selectedSlug}
          onSelectCity={setSelectedSlug}
          onMapError={onMapError}
        />
        <div className="banners" aria-live="polite">
          {loadState === 'loading' && <LoadingChip />}
          {loadState === 'error' && <ErrorBanner message={t.loadError} onRetry={retry} />}
          {mapFailed && loadState !== 'error' && <ErrorBanner message={t.mapError} />}
        </div>
        <Legend />
      </main>
    </div>
  );
}
