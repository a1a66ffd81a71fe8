import { useCallback, useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import type { GeoJSONSource } from 'maplibre-gl';
import type { BBox, CityCollection, DistrictCollection } from '../api/types';
import type { CrewDay, OrderSummary } from '../dispatch/staff-api';
import { useAuth } from '../auth/AuthProvider';
import { FieldError, FormAlert, TextField, type FormProblem } from '../auth/FormField';
import { problemSentence } from '../auth/problems';
import { useI18n } from '../i18n/I18nProvider';
import { format } from '../i18n/dictionaries';
import { maplibregl } from '../map/maplibre';
import { authPath, Link } from '../router';
import { formFailure } from '../resident/forms';
import { call } from '../resident/reports-api';
import { useSmallMap } from '../resident/useSmallMap';
import '../resident/resident.css';
import './crew.css';

const ROUTE_SOURCE = 'crew-route';
/** The title the server makes up when the dispatcher gave none ("2 reports, ~3.0 m³"): the list says it in the crew's language instead. */
const AUTO_TITLE = /^\d+ reports?, ~[\d.]+ m³$/;

export function CrewPage({ cities, districts }: { cities: CityCollection | null; districts: DistrictCollection | null }) {
  const { t } = useI18n();
  const r = t.res;
  const { status, user, authFetch } = useAuth();
  const [day, setDay] = useState<CrewDay | null>(null);
  const [failed, setFailed] = useState(false);
  const [attempt, setAttempt] = useState(0);

  const isCrew = user?.role === 'crew';
  useEffect(() => {
    if (!isCrew) return;
    let live = true;
    call<CrewDay>(authFetch, '/api/v1/crews/day').then(
      (d) => {
        if (!live) return;
        setDay(d);
        setFailed(false);
      },
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [isCrew, authFetch, attempt]);
  const reload = useCallback(() => setAttempt((n) => n + 1), []);

  if (status === 'restoring') {
    return (
      <div className="rd rd--centred">
        <span className="spinner" aria-hidden="true" />
      </div>
    );
  }
  if (!user || !isCrew) {
    return (
      <div className="rd">
        <div className="rd__column">
          <div className="rd__card" data-testid="crew-gate">
            <h2 className="rd__title">{r.crewTitle}</h2>
            {!user ? <Link to={authPath('/signin', '/crew')}>{r.crewSignIn}</Link> : <p>{r.crewOnly}</p>}
          </div>
        </div>
      </div>
    );
  }
  if (failed && !day) {
    return (
      <div className="rd rd--centred">
        <div className="rd__card" role="alert">
          <p>{r.reportLoadError}</p>
          <button type="button" className="rp-button" onClick={reload}>
            {t.retry}
          </button>
        </div>
      </div>
    );
  }
  if (!day) {
    return (
      <div className="rd rd--centred">
        <span className="spinner" aria-hidden="true" />
      </div>
    );
  }
  return <CrewDayView day={day} cities={cities} districts={districts} onChanged={reload} />;
}

function routeBounds(day: CrewDay): BBox {
  const points = [day.crew.depot, ...day.stops];
  const lons = points.map((p) => p.lon);
  const lats = points.map((p) => p.lat);
  const pad = 0.004;
  return [Math.min(...lons) - pad, Math.min(...lats) - pad, Math.max(...lons) + pad, Math.max(...lats) + pad];
}

function CrewDayView({ day, cities, districts, onChanged }: { day: CrewDay; cities: CityCollection | null; districts: DistrictCollection | null; onChanged: () => void }) {
  const { t, lang } = useI18n();
  const r = t.res;
  const mapRef = useRef<HTMLDivElement>(null);
  const bounds = useMemo(() => routeBounds(day), [day]);
  const { map } = useSmallMap(mapRef, cities, districts, bounds);
  const [completing, setCompleting] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const { authFetch } = useAuth();
  const km = (m: number) => new Intl.NumberFormat(lang, { maximumFractionDigits: 1 }).format(m / 1000);
  const orderStops = useMemo(() => day.stops.filter((s) => s.kind === 'stop' && s.workOrder), [day]);

  // The route as a line from the depot through every stop, and numbered markers.
  useEffect(() => {
    if (!map) return;
    const line = {
      type: 'Feature' as const,
      properties: {},
      geometry: { type: 'LineString' as const, coordinates: [[day.crew.depot.lon, day.crew.depot.lat], ...day.stops.map((s) => [s.lon, s.lat])] },
    };
    const existing = map.getSource<GeoJSONSource>(ROUTE_SOURCE);
    if (existing) void existing.setData(line);
    else {
      map.addSource(ROUTE_SOURCE, { type: 'geojson', data: line });
      map.addLayer({ id: ROUTE_SOURCE, type: 'line', source: ROUTE_SOURCE, paint: { 'line-color': '#1b5e20', 'line-width': 3, 'line-dasharray': [2, 1.5] } });
    }
    const markers: maplibregl.Marker[] = [];
    const depot = document.createElement('div');
    depot.className = 'crew-marker crew-marker--depot';
    depot.textContent = '⌂';
    depot.setAttribute('aria-hidden', 'true');
    markers.push(new maplibregl.Marker({ element: depot }).setLngLat([day.crew.depot.lon, day.crew.depot.lat]).addTo(map));
    orderStops.forEach((s, i) => {
      const el = document.createElement('div');
      el.className = `crew-marker crew-marker--${s.workOrder!.status}`;
      el.textContent = String(i + 1);
      el.dataset.testid = 'crew-stop-marker';
      el.setAttribute('aria-hidden', 'true');
      markers.push(new maplibregl.Marker({ element: el }).setLngLat([s.lon, s.lat]).addTo(map));
    });
    map.fitBounds(bounds, { padding: 30, duration: 0, maxZoom: 16 });
    return () => markers.forEach((m) => m.remove());
  }, [map, day, orderStops, bounds]);

  const start = async (id: string) => {
    setBusy(id);
    setProblem(null);
    try {
      await call(authFetch, `/api/v1/work-orders/${id}/start`, { method: 'POST' });
      onChanged();
    } catch (err) {
      setProblem({ title: r.startFailed, body: problemSentence(t, lang, err) });
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className="crew" data-testid="crew-page">
      <div className="crew__map-wrap">
        <div ref={mapRef} className="crew__map" role="region" aria-label={r.crewMapLabel} data-testid="crew-map" />
      </div>
      <div className="crew__panel">
        <h2 className="rd__title">{r.crewTitle}</h2>
        <p className="rd__meta" data-testid="crew-summary">
          {format(r.crewIntro, { crew: day.crew.name, date: new Intl.DateTimeFormat(lang, { dateStyle: 'full' }).format(new Date(`${day.date}T12:00:00`)) })}
          <br />
          {format(r.crewTotal, { km: km(day.totalDistanceMetres), stops: String(orderStops.length) })}
        </p>
        {problem && <FormAlert problem={problem} />}
        {orderStops.length === 0 && <p data-testid="crew-empty">{r.crewEmpty}</p>}
        <ol className="crew__stops" data-testid="crew-stops">
          {day.stops.map((s, i) => {
            const last = i === day.stops.length - 1;
            if (!s.workOrder) {
              return (
                <li key={`leg-${s.sequence}`} className="crew__stop crew__stop--unload">
                  <span className="crew__badge crew__badge--depot" aria-hidden="true">
                    ⌂
                  </span>
                  <div>
                    <p className="crew__stop-title">{last ? r.stopKinds.depot : r.stopKinds.unload}</p>
                    <p className="crew__stop-meta">{format(r.stopDistance, { km: km(s.distanceMetres) })}</p>
                  </div>
                </li>
              );
            }
            const o = s.workOrder;
            const n = orderStops.indexOf(s) + 1;
            return (
              <li key={o.id} className="crew__stop" data-testid="crew-stop">
                <span className={`crew__badge crew-marker--${o.status}`} aria-hidden="true">
                  {n}
                </span>
                <div className="crew__stop-body">
                  <p className="crew__stop-title">
                    {r.stopKinds.stop} {n} · <span data-testid="crew-stop-status">{r.orderStatuses[o.status] ?? o.status}</span>
                  </p>
                  <p className="crew__stop-meta">
                    {format(r.stopReports, { n: String(o.reports), volume: new Intl.NumberFormat(lang, { maximumFractionDigits: 1 }).format(o.estimatedVolumeM3) })}
                    <br />
                    {format(r.stopDistance, { km: km(s.distanceMetres) })}
                  </p>
                  {!AUTO_TITLE.test(o.title) && <p className="crew__stop-note">{o.title}</p>}
                  <div className="crew__actions">
                    <a className="rp-button" href={s.navigate} data-testid="crew-navigate">
                      {r.navigate}
                    </a>
                    {o.status === 'planned' && (
                      <button type="button" className="rp-button rp-button--primary" data-testid="crew-start" disabled={busy === o.id} onClick={() => void start(o.id)}>
                        {r.startWork}
                      </button>
                    )}
                    {o.status === 'in_progress' && completing !== o.id && (
                      <button type="button" className="rp-button rp-button--primary" data-testid="crew-complete" onClick={() => setCompleting(o.id)}>
                        {r.completeWork}
                      </button>
                    )}
                  </div>
                  {completing === o.id && (
                    <CompleteForm
                      order={o}
                      n={n}
                      onCancel={() => setCompleting(null)}
                      onDone={() => {
                        setCompleting(null);
                        onChanged();
                      }}
                    />
                  )}
                </div>
              </li>
            );
          })}
        </ol>
        {day.done.length > 0 && (
          <section>
            <h3 className="rp__section-title">{r.doneTitle}</h3>
            <ul className="crew__done" data-testid="crew-done">
              {day.done.map((o) => (
                <li key={o.id}>
                  ✓ {AUTO_TITLE.test(o.title) ? format(r.stopReports, { n: String(o.reports), volume: new Intl.NumberFormat(lang, { maximumFractionDigits: 1 }).format(o.estimatedVolumeM3) }) : o.title} · {r.orderStatuses.done}
                </li>
              ))}
            </ul>
          </section>
        )}
      </div>
    </div>
  );
}

function CompleteForm({ order, n, onCancel, onDone }: { order: OrderSummary; n: number; onCancel: () => void; onDone: () => void }) {
  const { t, lang } = useI18n();
  const r = t.res;
  const { authFetch } = useAuth();
  const id = useId();
  const [photo, setPhoto] = useState<File | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const [volume, setVolume] = useState(String(order.estimatedVolumeM3));
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => () => void (preview && URL.revokeObjectURL(preview)), [preview]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    const found: Record<string, string> = {};
    if (!photo) found.photos = r.errPhotoRequired;
    if (!volume.trim() || !Number.isFinite(Number(volume.replace(',', '.')))) found.removedVolumeM3 = r.errVolumeRequired;
    setErrors(found);
    if (Object.keys(found).length) return;
    const form = new FormData();
    form.append('photos', photo!, photo!.name);
    form.set('removedVolumeM3', volume.replace(',', '.').trim());
    if (note.trim()) form.set('note', note.trim());
    setBusy(true);
    try {
      await call(authFetch, `/api/v1/work-orders/${order.id}/complete`, { method: 'POST', body: form });
      onDone();
    } catch (err) {
      setBusy(false);
      const failure = formFailure(err, t, lang, ['photos', 'removedVolumeM3', 'note']);
      setErrors(failure.fields);
      if (failure.alert) setProblem({ title: r.completeFailed, body: failure.alert });
    }
  };

  return (
    <form className="crew__complete" data-testid="crew-complete-form" onSubmit={submit} noValidate>
      <p className="rp__section-title">{format(r.completeTitle, { n: String(n) })}</p>
      <div className="field">
        <label className="field__label" htmlFor={`${id}-photo`}>
          {r.afterPhotoLabel}
        </label>
        <input
          id={`${id}-photo`}
          className="rp__file visually-hidden"
          type="file"
          accept="image/jpeg,image/png,image/webp"
          capture="environment"
          data-testid="crew-photo"
          aria-describedby={errors.photos ? `${id}-photo-error` : undefined}
          onChange={(e) => {
            const f = e.target.files?.[0] ?? null;
            setPhoto(f);
            setPreview(f ? URL.createObjectURL(f) : null);
            setErrors((errs) => ({ ...errs, photos: '' }));
          }}
        />
        <label htmlFor={`${id}-photo`} className="rp-button rp__file-button" aria-hidden="true">
          {r.addPhotos}
        </label>
        {preview && (
          <ul className="rp__photos">
            <li className="rp__photo">
              <img src={preview} alt={r.afterPhotoLabel} data-testid="crew-photo-preview" />
            </li>
          </ul>
        )}
        {errors.photos && <FieldError id={`${id}-photo-error`} testId="error-photos" text={errors.photos} />}
      </div>
      <TextField
        label={r.removedVolumeLabel}
        testId="crew-volume"
        errorTestId="error-removedVolumeM3"
        inputMode="decimal"
        value={volume}
        error={errors.removedVolumeM3 || undefined}
        onChange={(e) => setVolume(e.target.value)}
      />
      <TextField label={r.noteLabel} testId="crew-note" errorTestId="error-note" value={note} error={errors.note || undefined} onChange={(e) => setNote(e.target.value)} />
      {problem && <FormAlert problem={problem} />}
      <div className="crew__actions">
        <button type="submit" className="rp-button rp-button--primary" data-testid="crew-submit-complete" disabled={busy}>
          {busy ? r.submittingComplete : r.submitComplete}
        </button>
        <button type="button" className="rp-button" onClick={onCancel}>
          {r.cancel}
        </button>
      </div>
    </form>
  );
}
