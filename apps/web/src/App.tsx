import { useCallback, useEffect, useState } from 'react';
import { fetchCities, fetchDistricts } from './api/client';
import type { CityCollection, DistrictCollection, Lang } from './api/types';
import { ForgotPasswordPage } from './auth/ForgotPasswordPage';
import { ResetPasswordPage } from './auth/ResetPasswordPage';
import { SignInPage } from './auth/SignInPage';
import { SignUpPage } from './auth/SignUpPage';
import { Header } from './components/Header';
import { Legend } from './components/Legend';
import { NotFoundPage } from './components/NotFoundPage';
import { ErrorBanner, LoadingChip } from './components/StatusBanner';
import { useI18n } from './i18n/I18nProvider';
import type { Dictionary } from './i18n/dictionaries';
import { CityMap } from './map/CityMap';
import { AkimPage } from './akim/AkimPage';
import { DispatchPage } from './dispatch/DispatchPage';
import { staffDictionaries } from './i18n/staff-strings';
import { Link, useLocation, type RouteName } from './router';
import { RESIDENT_ROUTES, ResidentScreens } from './resident/ResidentScreens';

type LoadState = 'loading' | 'ready' | 'error';

function pageTitle(route: RouteName, t: Dictionary, lang: Lang): string {
  switch (route) {
    case 'signin':
      return `${t.signInTitle} · ${t.appName}`;
    case 'signup':
      return `${t.signUpTitle} · ${t.appName}`;
    case 'forgotPassword':
      return `${t.forgotTitle} · ${t.appName}`;
    case 'resetPassword':
      return `${t.resetTitle} · ${t.appName}`;
    case 'notFound':
      return `${t.notFoundTitle} · ${t.appName}`;
    case 'dispatch':
    case 'akim':
      return `${staffDictionaries[lang][route === 'dispatch' ? 'dispatchTitle' : 'akimTitle']} · ${t.appName}`;
    case 'report':
      return `${t.res.reportTitle} · ${t.appName}`;
    case 'reportDetail':
      return `${t.res.reportPageTitle} · ${t.appName}`;
    case 'myReports':
      return `${t.res.myTitle} · ${t.appName}`;
    case 'crew':
      return `${t.res.crewTitle} · ${t.appName}`;
    default:
      return `${t.appName} · ${t.tagline}`;
  }
}

export function App() {
  const { t, lang } = useI18n();
  const { route } = useLocation();
  const [cities, setCities] = useState<CityCollection | null>(null);
  const [districts, setDistricts] = useState<DistrictCollection | null>(null);
  const [loadState, setLoadState] = useState<LoadState>('loading');
  const [attempt, setAttempt] = useState(0);
  const [mapFailed, setMapFailed] = useState(false);
  const [selectedSlug, setSelectedSlug] = useState<string | null>(null);

  // The map data is loaded once, whichever screen the app opens on, and kept across screens.
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

  useEffect(() => {
    document.title = pageTitle(route, t, lang);
  }, [route, t, lang]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  const onMapError = useCallback(() => setMapFailed(true), []);

  return (
    <div className="app">
      <Header cities={cities} selectedSlug={selectedSlug} onSelectCity={setSelectedSlug} showCityPicker={route === 'map'} />
      {route === 'map' ? (
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
          <Link to="/report" className="report-cta" data-testid="report-cta">
            {t.res.navReport}
          </Link>
        </main>
      ) : RESIDENT_ROUTES.has(route) ? (
        <main className="resident-area">
          <ResidentScreens route={route} cities={cities} districts={districts} />
        </main>
      ) : route === 'dispatch' || route === 'akim' ? (
        <main className="staff-area">
          {route === 'dispatch' ? <DispatchPage cities={cities} districts={districts} /> : <AkimPage cities={cities} districts={districts} />}
        </main>
      ) : (
        <main className="page-area">
          {route === 'signin' && <SignInPage />}
          {route === 'signup' && <SignUpPage />}
          {route === 'forgotPassword' && <ForgotPasswordPage />}
          {route === 'resetPassword' && <ResetPasswordPage />}
          {route === 'notFound' && <NotFoundPage />}
        </main>
      )}
    </div>
  );
}
