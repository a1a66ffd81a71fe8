import { useMemo, useState } from 'react';
import type { CityCollection, DistrictCollection } from '../api/types';
import { useI18n } from '../i18n/I18nProvider';
import { useStaffStrings } from '../i18n/use-staff-strings';
import type { DistrictFigures } from '../dispatch/staff-api';
import { formatNumber, formatPercent, nameOf } from '../dispatch/staff-format';
import { StaffMap } from '../dispatch/StaffMap';
import { choropleth, CHOROPLETH, NO_DATA } from './choropleth';

type Metric = 'reports' | 'medianHoursToRegister' | 'medianHoursToResolve' | 'reopenedShare' | 'averageRating';
const METRICS: Metric[] = ['reports', 'medianHoursToRegister', 'medianHoursToResolve', 'reopenedShare', 'averageRating'];

interface Props {
  figures: DistrictFigures[] | null;
  cities: CityCollection | null;
  districts: DistrictCollection | null;
  cityId: string;
}

/** How each district (akimat) answers its residents: a table and a choropleth of one chosen figure. */
export function DistrictFiguresPanel({ figures, cities, districts, cityId }: Props) {
  const { lang } = useI18n();
  const s = useStaffStrings();
  const [metric, setMetric] = useState<Metric>('medianHoursToResolve');

  const fmt = (m: Metric, v: number | null, fine = false) =>
    m === 'reopenedShare' ? formatPercent(v, lang, fine ? 1 : 0) : m === 'reports' ? formatNumber(v, lang, fine ? 1 : 0) : m === 'averageRating' ? formatNumber(v, lang, 2) : formatNumber(v, lang, 1);

  const { expr, breaks } = useMemo(() => {
    const values = new Map<string, number | null>((figures ?? []).map((f) => [f.districtId, f[metric]]));
    return choropleth(values, metric === 'averageRating');
  }, [figures, metric]);

  // Close class breaks need a decimal to tell them apart.
  const fineScale = breaks.length > 1 && breaks[1] - breaks[0] < 1;

  const sorted = useMemo(() => [...(figures ?? [])].sort((a, b) => nameOf(a.name, lang).localeCompare(nameOf(b.name, lang), lang)), [figures, lang]);

  return (
    <section className="akim-card akim-districts" aria-labelledby="akim-districts">
      <h3 id="akim-districts" className="staff-h3">
        {s.districtsTitle}
      </h3>
      <div className="akim-districts__grid">
        <div className="akim-table-wrap">
          {figures === null ? (
            <p className="staff-empty">{s.loading}</p>
          ) : (
            <table className="akim-table" data-testid="district-table">
              <caption className="visually-hidden">{s.districtsTitle}</caption>
              <thead>
                <tr>
                  <th scope="col">{s.colDistrict}</th>
                  <th scope="col">{s.colReports}</th>
                  <th scope="col">{s.colOpen}</th>
                  <th scope="col">{s.colRegister}</th>
                  <th scope="col">{s.colResolve}</th>
                  <th scope="col">{s.colReopened}</th>
                  <th scope="col">{s.colRating}</th>
                </tr>
              </thead>
              <tbody>
                {sorted.map((f) => (
                  <tr key={f.districtId} data-testid={`district-row-${f.districtId}`}>
                    <th scope="row">{nameOf(f.name, lang)}</th>
                    <td>{fmt('reports', f.reports)}</td>
                    <td>{fmt('reports', f.open)}</td>
                    <td>{fmt('medianHoursToRegister', f.medianHoursToRegister)}</td>
                    <td>{fmt('medianHoursToResolve', f.medianHoursToResolve)}</td>
                    <td>{fmt('reopenedShare', f.reopenedShare)}</td>
                    <td>{fmt('averageRating', f.averageRating)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
        <div className="akim-choropleth">
          <label className="staff-field staff-field--inline">
            <span>{s.mapShows}</span>
            <select value={metric} onChange={(e) => setMetric(e.target.value as Metric)} data-testid="choropleth-metric">
              {METRICS.map((m) => (
                <option key={m} value={m}>
                  {s.metrics[m]}
                </option>
              ))}
            </select>
          </label>
          <div className="akim-choropleth__map">
            <StaffMap cities={cities} districts={districts} cityId={cityId} districtFill={expr ?? NO_DATA} label={s.choroplethLabel} testId="choropleth-map" />
          </div>
          <ul className="akim-scale" aria-label={s.metrics[metric]}>
            {breaks.map((b, i) => (
              <li key={i}>
                <span className="swatch" style={{ background: CHOROPLETH[metric === 'averageRating' ? 4 - i : i] }} />
                {fmt(metric, b, fineScale)}+
              </li>
            ))}
            <li>
              <span className="swatch" style={{ background: NO_DATA }} />
              {s.noData}
            </li>
          </ul>
        </div>
      </div>
    </section>
  );
}
