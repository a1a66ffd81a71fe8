import { useEffect, useState } from 'react';
import { useAuth } from '../auth/AuthProvider';
import { useI18n } from '../i18n/I18nProvider';
import { format } from '../i18n/dictionaries';
import { authPath, Link } from '../router';
import { StatusBadge, useDateFormat } from './ReportDetailPage';
import { reportsApi, type ReportFeature } from './reports-api';
import './resident.css';

export function MyReportsPage() {
  const { t } = useI18n();
  const r = t.res;
  const { status, authFetch } = useAuth();
  const [reports, setReports] = useState<ReportFeature[] | null>(null);
  const [failed, setFailed] = useState(false);
  const dates = useDateFormat();

  useEffect(() => {
    if (status !== 'signedIn') return;
    let live = true;
    reportsApi.mine(authFetch).then(
      (fc) => live && setReports(fc.features),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [status, authFetch]);

  return (
    <div className="rd" data-testid="my-reports">
      <div className="rd__column">
        <div className="rd__card">
          <h2 className="rd__title">{r.myTitle}</h2>
          {status === 'signedOut' && (
            <p>
              <Link to={authPath('/signin', '/my-reports')}>{r.mySignIn}</Link>
            </p>
          )}
          {status === 'signedIn' && <p className="field__hint">{r.myIntro}</p>}
          {failed && <p role="alert">{r.reportLoadError}</p>}
          {reports && reports.length === 0 && <p data-testid="my-reports-empty">{r.myEmpty}</p>}
          {reports && reports.length > 0 && (
            <ul className="my-list">
              {reports.map((f) => {
                const category = t.categories[f.properties.category] ?? f.properties.category;
                return (
                  <li key={f.properties.id} className="my-list__item" data-testid="my-report">
                    <Link to={`/reports/${f.properties.id}`} className="my-list__link" aria-label={format(r.openReport, { category })}>
                      <span className="my-list__title">{category}</span>
                      <span className="my-list__meta">{format(r.reportedOn, { date: dates.date(f.properties.createdAt) })}</span>
                    </Link>
                    <StatusBadge status={f.properties.status} />
                  </li>
                );
              })}
            </ul>
          )}
          <p>
            <Link to="/report" className="rp-button rp-button--primary">
              {r.navReport}
            </Link>
          </p>
        </div>
      </div>
    </div>
  );
}
