import { useEffect, useState, type ReactNode } from 'react';
import type { Role } from '../api/auth';
import type { CityCollection } from '../api/types';
import { localizedName } from '../api/types';
import { useAuth } from '../auth/AuthProvider';
import { useI18n } from '../i18n/I18nProvider';
import { useStaffStrings } from '../i18n/use-staff-strings';
import { authPath, Link, useLocation } from '../router';
import { StaffErrorBoundary } from './StaffErrorBoundary';

interface StaffGateProps {
  roles: readonly Role[];
  cities: CityCollection | null;
  title: string;
  children: (cityId: string) => ReactNode;
}

/**
 * The staff screens' door: signed out -> a sign-in link back here; another role -> a sentence; an
 * admin (no city of their own) -> a city picker; else the screen for the caller's city.
 */
export function StaffGate({ roles, cities, title, children }: StaffGateProps) {
  const { lang, t } = useI18n();
  const s = useStaffStrings();
  const { status, user } = useAuth();
  const location = useLocation();
  const [adminCity, setAdminCity] = useState<string>('');

  useEffect(() => {
    if (!adminCity && cities?.features.length) setAdminCity(cities.features[0].properties.id);
  }, [cities, adminCity]);

  if (status === 'restoring') return <div className="staff-page staff-page--empty" aria-busy="true" />;
  if (!user) {
    return (
      <div className="staff-page staff-page--empty">
        <div className="staff-card">
          <h2>{title}</h2>
          <p>{s.signInToSee}</p>
          <Link className="staff-button staff-button--primary" to={authPath('/signin', location.href)} data-testid="staff-signin">
            {s.signInAction}
          </Link>
        </div>
      </div>
    );
  }
  if (!roles.includes(user.role)) {
    return (
      <div className="staff-page staff-page--empty">
        <div className="staff-card" role="alert" data-testid="staff-forbidden">
          <h2>{title}</h2>
          <p>{s.notForRole}</p>
          <Link to="/">{s.backToMap}</Link>
        </div>
      </div>
    );
  }
  const cityId = user.cityId ?? adminCity;
  return (
    <>
      {!user.cityId && (
        <div className="staff-citybar">
          <label className="staff-field staff-field--inline">
            <span>{s.cityLabel}</span>
            <select value={adminCity} onChange={(e) => setAdminCity(e.target.value)} data-testid="staff-city">
              {cities?.features.map((f) => (
                <option key={f.properties.id} value={f.properties.id}>
                  {localizedName(f.properties.name, lang) || f.properties.slug}
                </option>
              ))}
            </select>
          </label>
        </div>
      )}
      {cityId ? (
        <StaffErrorBoundary message={t.unexpectedError} retry={t.retry}>
          {children(cityId)}
        </StaffErrorBoundary>
      ) : (
        <div className="staff-page staff-page--empty" aria-busy="true" />
      )}
    </>
  );
}
