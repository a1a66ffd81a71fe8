import { useCallback, useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import { ProblemError } from '../api/auth';
import type { BBox, CityCollection, DistrictCollection } from '../api/types';
import { useAuth } from '../auth/AuthProvider';
import { FieldError, FormAlert, type FormProblem } from '../auth/FormField';
import { useI18n } from '../i18n/I18nProvider';
import { format } from '../i18n/dictionaries';
import { maplibregl } from '../map/maplibre';
import { STATUS_COLORS, type ReportStatus } from '../map/offline-style';
import { Link, useLocation } from '../router';
import { formFailure } from './forms';
import { rememberedToken, rememberToken, reportsApi, type HistoryEntry, type ReportView } from './reports-api';
import { useSmallMap } from './useSmallMap';
import './resident.css';

type Load = { state: 'loading' } | { state: 'missing' } | { state: 'error' } | { state: 'ready'; report: ReportView; history: HistoryEntry[] };

export function StatusBadge({ status }: { status: string }) {
  const { t } = useI18n();
  return (
    <span className="status-badge" data-testid="report-status" style={{ borderColor: STATUS_COLORS[status as ReportStatus] ?? '#8c8c8c' }}>
      <span className="status-badge__dot" style={{ background: STATUS_COLORS[status as ReportStatus] ?? '#8c8c8c' }} aria-hidden="true" />
      {t.statuses[status] ?? status}
    </span>
  );
}

export function useDateFormat() {
  const { lang } = useI18n();
  return useMemo(() => {
    const dt = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' });
    const d = new Intl.DateTimeFormat(lang, { dateStyle: 'medium' });
    return { dateTime: (iso: string) => dt.format(new Date(iso)), date: (iso: string) => d.format(new Date(iso)) };
  }, [lang]);
}

export function ReportDetailPage({ cities, districts }: { cities: CityCollection | null; districts: DistrictCollection | null }) {
  const { t } = useI18n();
  const r = t.res;
  const { authFetch, status: authStatus } = useAuth();
  const { pathname, search } = useLocation();
  const id = pathname.split('/').filter(Boolean)[1] ?? '';
  const urlToken = search.get('token');
  const sent = search.get('sent');
  const token = urlToken ?? rememberedToken(id);
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const dates = useDateFormat();

  useEffect(() => {
    if (urlToken) rememberToken(id, urlToken);
  }, [id, urlToken]);

  useEffect(() => {
    // Wait for a signed-in session to come back: the reporter sees more than the public.
    if (authStatus === 'restoring') return;
    let live = true;
    Promise.all([reportsApi.get(authFetch, id, token), reportsApi.history(authFetch, id, token)]).then(
      ([report, history]) => live && setLoad({ state: 'ready', report, history }),
      (err: unknown) => {
        if (!live) return;
        setLoad(err instanceof ProblemError && (err.status === 404 || err.status === 400) ? { state: 'missing' } : { state: 'error' });
      },
    );
    return () => {
      live = false;
    };
  }, [id, token, authFetch, authStatus, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);

  if (load.state === 'loading') {
    return (
      <div className="rd rd--centred" data-testid="report-detail-loading">
        <span className="spinner" aria-hidden="true" /> {r.loadingReport}
      </div>
    );
  }
  if (load.state === 'missing' || load.state === 'error') {
    return (
      <div className="rd rd--centred">
        <div className="rd__card" role="alert" data-testid="report-detail-error">
          <p>{load.state === 'missing' ? r.reportNotFound : r.reportLoadError}</p>
          {load.state === 'error' && (
            <button type="button" className="rp-button" onClick={reload}>
              {t.retry}
            </button>
          )}
          <Link to="/">{t.backToMap}</Link>
        </div>
      </div>
    );
  }

  const { report, history } = load;
  // Private fields come back only for the reporter (account or tracking token) and staff; staff also get the EXIF flag.
  const isReporter = 'ratingComment' in report && !('exifGpsFar' in report);
  const before = report.media.filter((m) => m.stage === 'before' && m.kind === 'photo');
  const after = report.media.filter((m) => m.stage === 'after' && m.kind === 'photo');
  const trackingUrl = token ? `${window.location.origin}/reports/${report.id}?token=${encodeURIComponent(token)}` : null;

  return (
    <div className="rd" data-testid="report-detail">
      <div className="rd__column">
        {sent && (
          <div className="auth-notice" role="status" data-testid="sent-notice">
            <p className="auth-notice__title">{r.sentTitle}</p>
            <p>{sent === 'joined' ? r.sentJoined : r.sentCreated}</p>
          </div>
        )}
        {trackingUrl && <TrackingLink url={trackingUrl} />}

        <article className="rd__card">
          <header className="rd__head">
            <p className="rd__kind">{r.reportPageTitle}</p>
            <h2 className="rd__title" data-testid="report-category">
              {t.categories[report.category.code] ?? report.category.name}
            </h2>
            <StatusBadge status={report.status} />
          </header>
          <p className="rd__meta">{format(r.reportedOn, { date: dates.dateTime(report.createdAt) })}</p>
          <dl className="rd__facts">
            <div>
              <dt>{r.sizeLabel}</dt>
              <dd>{r.sizes[report.size] ?? report.size}</dd>
            </div>
            {report.wasteTypes.length > 0 && (
              <div>
                <dt>{r.wasteTypesShort}</dt>
                <dd>{report.wasteTypes.map((w) => r.wasteTypes[w] ?? w).join(', ')}</dd>
              </div>
            )}
            <div>
              <dt>{r.locationLabel}</dt>
              <dd>
                {report.location.lat.toFixed(5)}, {report.location.lon.toFixed(5)}
              </dd>
            </div>
          </dl>
          {report.description && <p className="rd__description">{report.description}</p>}
          {report.confirmations > 0 && <p className="rd__meta">{format(r.confirmations, { n: String(report.confirmations) })}</p>}
          <ReportLocationMap report={report} cities={cities} districts={districts} />
          {before.length > 0 && (
            <section>
              <h3 className="rp__section-title">{r.photosTitle}</h3>
              <PhotoStrip media={before} testId="photos-before" />
            </section>
          )}
          {report.resolutionNote && (
            <section>
              <h3 className="rp__section-title">{r.resolutionNoteLabel}</h3>
              <p data-testid="resolution-note">{report.resolutionNote}</p>
            </section>
          )}
          {after.length > 0 && (
            <section>
              <h3 className="rp__section-title">{r.afterPhotosTitle}</h3>
              <PhotoStrip media={after} testId="photos-after" />
            </section>
          )}
          {report.rejectionReason && (
            <section>
              <h3 className="rp__section-title">{r.rejectionReasonLabel}</h3>
              <p>{report.rejectionReason}</p>
            </section>
          )}
        </article>

        {report.rating !== null && (
          <p className="rd__card rd__rated" data-testid="rating-shown">
            {format(isReporter ? r.yourRating : r.ratingPublic, { n: String(report.rating) })}
            {isReporter && report.ratingComment ? ` — “${report.ratingComment}”` : ''}
          </p>
        )}
        {isReporter && report.status === 'resolved' && report.rating === null && (
          <RatingForm reportId={report.id} token={token} onRated={reload} />
        )}

        <section className="rd__card" aria-labelledby="timeline-title">
          <h3 className="rp__section-title" id="timeline-title">
            {r.timelineTitle}
          </h3>
          <ol className="timeline" data-testid="timeline">
            {history.map((h, i) => (
              <li key={`${h.at}-${i}`} className="timeline__item">
                <span className="timeline__dot" style={{ background: STATUS_COLORS[(h.to ?? 'submitted') as ReportStatus] ?? '#8c8c8c' }} aria-hidden="true" />
                <div>
                  <p className="timeline__what">
                    {r.events[h.event] ?? h.event}
                    {h.to && h.event !== 'created' ? ` → ${t.statuses[h.to] ?? h.to}` : ''}
                  </p>
                  <p className="timeline__meta">
                    <time dateTime={h.at}>{dates.dateTime(h.at)}</time> · {r.actors[h.actorRole] ?? h.actorRole}
                  </p>
                  {h.note && h.event === 'status' && <p className="timeline__note">{h.note}</p>}
                </div>
              </li>
            ))}
          </ol>
        </section>
      </div>
    </div>
  );
}

function TrackingLink({ url }: { url: string }) {
  const { t } = useI18n();
  const r = t.res;
  const id = useId();
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied(true);
      window.setTimeout(() => setCopied(false), 2000);
    } catch {
      // clipboard refused: the link is selectable in the box
    }
  };
  return (
    <section className="rd__card rd__tracking" data-testid="tracking" aria-labelledby={`${id}-title`}>
      <h3 className="rp__section-title" id={`${id}-title`}>
        {r.trackingTitle}
      </h3>
      <p className="field__hint">{r.trackingHint}</p>
      <div className="rd__tracking-row">
        <label htmlFor={`${id}-url`} className="visually-hidden">
          {r.trackingLinkLabel}
        </label>
        <input id={`${id}-url`} className="field__input" data-testid="tracking-link" readOnly value={url} onFocus={(e) => e.currentTarget.select()} />
        <button type="button" className="rp-button" onClick={() => void copy()} aria-live="polite">
          {copied ? r.copied : r.copyLink}
        </button>
      </div>
    </section>
  );
}

function PhotoStrip({ media, testId }: { media: ReportView['media']; testId: string }) {
  const { t } = useI18n();
  return (
    <ul className="rp__photos" data-testid={testId}>
      {media.map((m, i) => (
        <li key={m.id} className="rp__photo">
          <a href={m.url} target="_blank" rel="noreferrer">
            <img src={m.thumbnailUrl ?? m.url} alt={format(t.res.photoAlt, { n: String(i + 1) })} />
          </a>
        </li>
      ))}
    </ul>
  );
}

function ReportLocationMap({ report, cities, districts }: { report: ReportView; cities: CityCollection | null; districts: DistrictCollection | null }) {
  const ref = useRef<HTMLDivElement>(null);
  const { lon, lat } = report.location;
  const bounds: BBox = [lon - 0.004, lat - 0.003, lon + 0.004, lat + 0.003];
  const { map } = useSmallMap(ref, cities, districts, bounds);
  useEffect(() => {
    if (!map) return;
    const marker = new maplibregl.Marker({ color: STATUS_COLORS[report.status as ReportStatus] ?? '#c62828' }).setLngLat([lon, lat]).addTo(map);
    return () => {
      marker.remove();
    };
  }, [map, lon, lat, report.status]);
  return <div ref={ref} className="rd__map" data-testid="report-location-map" />;
}

function RatingForm({ reportId, token, onRated }: { reportId: string; token: string | null; onRated: () => void }) {
  const { t, lang } = useI18n();
  const r = t.res;
  const { authFetch } = useAuth();
  const id = useId();
  const [rating, setRating] = useState(0);
  const [comment, setComment] = useState('');
  const [error, setError] = useState('');
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    if (rating < 1) {
      setError(r.errRatingRequired);
      return;
    }
    setError('');
    setBusy(true);
    try {
      await reportsApi.rate(authFetch, reportId, token, rating, comment);
      onRated();
    } catch (err) {
      setBusy(false);
      const failure = formFailure(err, t, lang, ['rating', 'comment']);
      setError(Object.values(failure.fields).join(' '));
      if (failure.alert) setProblem({ title: r.ratingFailed, body: failure.alert });
    }
  };

  return (
    <form className="rd__card rd__rate" data-testid="rating-form" onSubmit={submit} noValidate>
      <h3 className="rp__section-title">{r.rateTitle}</h3>
      <p className="field__hint">{r.rateIntro}</p>
      <fieldset className="stars" aria-describedby={error ? `${id}-error` : undefined}>
        <legend className="visually-hidden">{r.ratingLabel}</legend>
        {[1, 2, 3, 4, 5].map((n) => (
          <label key={n} className={`stars__star${n <= rating ? ' stars__star--on' : ''}`} title={format(r.starLabel, { n: String(n) })}>
            <input
              type="radio"
              name={`${id}-rating`}
              value={n}
              checked={rating === n}
              onChange={() => setRating(n)}
              data-testid={`star-${n}`}
              className="visually-hidden"
            />
            <span aria-hidden="true">★</span>
            <span className="visually-hidden">{format(r.starLabel, { n: String(n) })}</span>
          </label>
        ))}
      </fieldset>
      {error && <FieldError id={`${id}-error`} testId="error-rating" text={error} />}
      <div className="field">
        <label className="field__label" htmlFor={`${id}-comment`}>
          {r.ratingCommentLabel}
        </label>
        <textarea id={`${id}-comment`} className="field__input rp__textarea" rows={2} maxLength={2000} data-testid="rating-comment" value={comment} onChange={(e) => setComment(e.target.value)} />
      </div>
      {problem && <FormAlert problem={problem} />}
      <button type="submit" className="auth-form__submit" data-testid="submit-rating" disabled={busy}>
        {busy && <span className="spinner spinner--light" aria-hidden="true" />}
        {busy ? r.submittingRating : r.submitRating}
      </button>
    </form>
  );
}
