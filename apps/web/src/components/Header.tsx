import type { CityCollection, Lang } from '../api/types';
import { localizedName } from '../api/types';
import { dictionaries, LANGS } from '../i18n/dictionaries';
import { useI18n } from '../i18n/I18nProvider';
import { Link } from '../router';
import { AccountArea } from './AccountArea';
import { StaffNav } from '../dispatch/StaffNav';
import { ResidentNav } from '../resident/ResidentNav';

const ALL = '__all__';

interface HeaderProps {
  cities: CityCollection | null;
  selectedSlug: string | null;
  onSelectCity: (slug: string | null) => void;
  /** The city picker only makes sense next to the map. */
  showCityPicker?: boolean;
}

export function Header({ cities, selectedSlug, onSelectCity, showCityPicker = true }: HeaderProps) {
  const { lang, t, setLang } = useI18n();
  return (
    <header className="app-header">
      <div className="brand">
        <svg className="brand__logo" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
          <rect width="32" height="32" rx="7" fill="#1b5e20" />
          <path
            d="M16 5c-4.4 0-8 3.4-8 7.8 0 5.6 8 14.2 8 14.2s8-8.6 8-14.2C24 8.4 20.4 5 16 5zm0 10.8a3 3 0 1 1 0-6 3 3 0 0 1 0 6z"
            fill="#e8f5e9"
          />
        </svg>
        <div className="brand__text">
          <h1 className="brand__name" data-testid="app-name">
            <Link className="brand__link" to="/">
              {t.appName}
            </Link>
          </h1>
          <p className="brand__tagline" data-testid="tagline">
            {t.tagline}
          </p>
        </div>
      </div>
      <div className="header-controls">
        {showCityPicker && (
          <label className="control control--city">
            <span className="control__label">{t.cityPickerLabel}</span>
            <select
              data-testid="city-picker"
              aria-label={t.cityPickerLabel}
              value={selectedSlug ?? ALL}
              disabled={!cities}
              onChange={(e) => onSelectCity(e.target.value === ALL ? null : e.target.value)}
            >
              <option value={ALL}>{t.allCities}</option>
              {cities?.features.map((f) => (
                <option key={f.properties.id} value={f.properties.slug}>
                  {localizedName(f.properties.name, lang) || f.properties.slug}
                </option>
              ))}
            </select>
          </label>
        )}
        <label className="control control--lang">
          <span className="control__label">{t.languageLabel}</span>
          <select
            data-testid="lang"
            aria-label={t.languageLabel}
            value={lang}
            onChange={(e) => setLang(e.target.value as Lang)}
          >
            {LANGS.map((code) => (
              <option key={code} value={code} lang={code}>
                {dictionaries[code].langName}
              </option>
            ))}
          </select>
        </label>
      </div>
      <StaffNav />
      <ResidentNav />
      <AccountArea />
    </header>
  );
}
