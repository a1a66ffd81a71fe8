import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useI18n } from '../i18n/I18nProvider';
import { format } from '../i18n/dictionaries';
import { useStaffStrings } from '../i18n/use-staff-strings';
import type { StaffApi } from '../dispatch/staff-api';
import { formatDate, formatDateTime, formatNumber } from '../dispatch/staff-format';
import type { useStaffAction } from '../dispatch/use-staff-action';
import { ForecastChart, type ChartSeries } from './ForecastChart';
import type { Milestone } from '../dispatch/staff-api';
import { chartSeries, daysBetween, type AlertView, type LandfillView } from './landfill-view';

interface LandfillsPanelProps {
  /** undefined: loading; null: the server has no landfills module. */
  landfills: LandfillView[] | null | undefined;
  alerts: AlertView[] | null | undefined;
  api: StaffApi;
  action: ReturnType<typeof useStaffAction>;
}

function levelOf(pct: number | null): 'ok' | 'warning' | 'critical' | 'emergency' {
  if (pct === null) return 'ok';
  if (pct >= 95) return 'emergency';
  if (pct >= 90) return 'critical';
  if (pct >= 80) return 'warning';
  return 'ok';
}

/** Gauges, the forecast chart of the chosen landfill and the alert list with acknowledge. */
export function LandfillsPanel({ landfills, alerts, api, action }: LandfillsPanelProps) {
  const { lang } = useI18n();
  const s = useStaffStrings();
  const [chosen, setChosen] = useState<string | null>(null);
  const [series, setSeries] = useState<ChartSeries | null>(null);
  const current = landfills?.find((l) => l.id === chosen) ?? landfills?.[0] ?? null;

  useEffect(() => {
    if (!current) return;
    let live = true;
    setSeries(null);
    api.landfillSeries(current.id).then(
      (raw) => live && setSeries(chartSeries(raw)),
      (err: unknown) => console.error('[taza-map] landfill series', err),
    );
    return () => {
      live = false;
    };
  }, [api, current?.id]); // eslint-disable-line react-hooks/exhaustive-deps

  const summary = useMemo(() => {
    if (!current) return '';
    const full = current.milestones['100'];
    return format(s.chartSummary, {
      name: current.name,
      fill: formatNumber(current.fillPercent, lang, 1),
      date: full?.reached ? s.reached : full?.date ? formatDate(full.date, lang) : s.notForeseen,
    });
  }, [current, lang, s]);

  return (
    <>
      <section className="akim-card" aria-labelledby="akim-landfills">
        <h3 id="akim-landfills" className="staff-h3">
          {s.landfillsTitle}
        </h3>
        {landfills === undefined ? (
          <p className="staff-empty">{s.loading}</p>
        ) : landfills === null ? (
          <p className="staff-empty">{s.moduleMissing}</p>
        ) : landfills.length === 0 ? (
          <p className="staff-empty">{s.noLandfills}</p>
        ) : (
          <div className="akim-gauges" data-testid="landfill-gauges">
            {landfills.map((l) => (
              <button
                type="button"
                key={l.id}
                className={`akim-gauge akim-gauge--${levelOf(l.fillPercent)}${current?.id === l.id ? ' akim-gauge--chosen' : ''}`}
                aria-pressed={current?.id === l.id}
                onClick={() => setChosen(l.id)}
                data-testid={`gauge-${l.id}`}
              >
                <Gauge percent={l.fillPercent} label={format(s.fillOf, { name: l.name, n: formatNumber(l.fillPercent, lang, 1) })} />
                <span className="akim-gauge__name">{l.name}</span>
                <span className="akim-gauge__status">{s.landfillStatuses[l.status] ?? l.status}</span>
                <DaysTo label={s.daysTo90} today={l.asOf} m={l.milestones['90']} testId={`days90-${l.id}`} />
                <DaysTo label={s.daysTo100} today={l.asOf} m={l.milestones['100']} testId={`days100-${l.id}`} />
              </button>
            ))}
          </div>
        )}
        {current && (
          <div className="akim-forecast">
            <h4 className="akim-h4">{format(s.forecastTitle, { name: current.name })}</h4>
            {series ? series.x.length ? <ForecastChart data={series} summary={summary} /> : <p className="staff-empty">{s.noSeries}</p> : <p className="staff-empty">{s.loading}</p>}
          </div>
        )}
      </section>
      <section className="akim-card" aria-labelledby="akim-alerts">
        <h3 id="akim-alerts" className="staff-h3">
          {s.alertsTitle} <span className="staff-count">{alerts?.filter((a) => !a.acknowledgedAt).length ?? 0}</span>
        </h3>
        {alerts === undefined ? (
          <p className="staff-empty">{s.loading}</p>
        ) : alerts === null ? (
          <p className="staff-empty">{s.moduleMissing}</p>
        ) : alerts.length === 0 ? (
          <p className="staff-empty">{s.noAlerts}</p>
        ) : (
          <ul className="staff-list" data-testid="alert-list">
            {alerts.map((a) => (
              <AlertItem key={a.id} alert={a} api={api} action={action} />
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

function DaysTo({ label, today, m, testId }: { label: string; today: string; m: Milestone | null; testId: string }) {
  const { lang } = useI18n();
  const s = useStaffStrings();
  const reached = !!m?.reached;
  const days = daysBetween(today, m?.date ?? null);
  const lo = daysBetween(today, m?.low ?? null);
  const hi = daysBetween(today, m?.high ?? null);
  let text: string;
  if (reached) text = s.reached;
  else if (days === null) text = s.notForeseen;
  else {
    text = format(s.inDays, { n: formatNumber(days, lang, 0) });
    if (lo !== null && hi !== null) text += ` ${format(s.dayRange, { low: formatNumber(Math.min(lo, hi), lang, 0), high: formatNumber(Math.max(lo, hi), lang, 0) })}`;
  }
  return (
    <span className="akim-gauge__days" data-testid={testId}>
      <span className="akim-gauge__days-label">{label}</span> <strong>{text}</strong>
      {m?.date && !reached && <span className="akim-gauge__date">{formatDate(m.date, lang)}</span>}
    </span>
  );
}

/** A half-ring gauge with the 80/90/95 marks. */
function Gauge({ percent, label }: { percent: number | null; label: string }) {
  const p = Math.max(0, Math.min(100, percent ?? 0));
  const r = 40;
  const arc = (from: number, to: number) => {
    const a0 = Math.PI * (1 - from / 100);
    const a1 = Math.PI * (1 - to / 100);
    return `M ${50 + r * Math.cos(a0)} ${50 - r * Math.sin(a0)} A ${r} ${r} 0 0 1 ${50 + r * Math.cos(a1)} ${50 - r * Math.sin(a1)}`;
  };
  const level = levelOf(percent);
  return (
    <svg className="akim-gauge__svg" viewBox="0 0 100 60" role="img" aria-label={label}>
      <path d={arc(0, 100)} className="akim-gauge__track" />
      {p > 0 && <path d={arc(0, p)} className={`akim-gauge__value akim-gauge__value--${level}`} />}
      {[80, 90, 95].map((m) => {
        const a = Math.PI * (1 - m / 100);
        return <line key={m} x1={50 + 33 * Math.cos(a)} y1={50 - 33 * Math.sin(a)} x2={50 + 47 * Math.cos(a)} y2={50 - 47 * Math.sin(a)} className="akim-gauge__mark" />;
      })}
      <text x="50" y="52" textAnchor="middle" className="akim-gauge__text">
        {percent === null ? '—' : `${Math.round(percent)}%`}
      </text>
    </svg>
  );
}

function AlertItem({ alert, api, action }: { alert: AlertView; api: StaffApi; action: ReturnType<typeof useStaffAction> }) {
  const { lang } = useI18n();
  const s = useStaffStrings();
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState('');
  const [noteError, setNoteError] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!note.trim()) {
      setNoteError(true);
      return;
    }
    if (await action.run(`ack-${alert.id}`, () => api.acknowledgeAlert(alert.id, note.trim()), s.doneAcknowledged)) setOpen(false);
  };
  return (
    <li className={`staff-item akim-alert akim-alert--${alert.level}${alert.acknowledgedAt ? ' akim-alert--acked' : ''}`} data-testid={`alert-${alert.id}`}>
      <div className="staff-item__row">
        <span className="staff-item__title">{alert.landfillName}</span>
        <span className={`staff-tag akim-level akim-level--${alert.level}`}>{s.alertLevels[alert.level] ?? alert.level}</span>
      </div>
      <div className="staff-item__meta">
        {alert.fillPercent !== null && <span>{format(s.fillAt, { n: formatNumber(alert.fillPercent, lang, 1) })}</span>}
        <span>{format(s.raisedAt, { when: formatDateTime(alert.raisedAt, lang) })}</span>
        {alert.fullOn && <span>{format(s.fullOn, { date: formatDate(alert.fullOn, lang) })}</span>}
      </div>
      {alert.acknowledgedAt ? (
        <p className="akim-alert__ack" data-testid="alert-acked">
          {format(s.acknowledgedAt, { when: formatDateTime(alert.acknowledgedAt, lang) })}
          {alert.acknowledgedByName ? ` (${alert.acknowledgedByName})` : ''}
          {alert.note ? ` — ${alert.note}` : ''}
        </p>
      ) : open ? (
        <form className="staff-inline-form" onSubmit={submit} noValidate>
          <label className="staff-field">
            <span>{s.ackNoteLabel}</span>
            <textarea
              rows={2}
              value={note}
              maxLength={2000}
              aria-invalid={noteError}
              onChange={(e) => {
                setNote(e.target.value);
                setNoteError(false);
              }}
              data-testid="ack-note"
            />
          </label>
          {noteError && (
            <p className="staff-field-error" role="alert">
              {s.ackNoteRequired}
            </p>
          )}
          <div className="staff-buttons">
            <button type="submit" className="staff-button staff-button--primary" disabled={action.busy !== null} data-testid="ack-submit">
              {s.acknowledge}
            </button>
            <button type="button" className="staff-button" onClick={() => setOpen(false)}>
              {s.cancel}
            </button>
          </div>
        </form>
      ) : (
        <button type="button" className="staff-button staff-button--primary" onClick={() => setOpen(true)} data-testid={`ack-${alert.id}`}>
          {s.acknowledge}
        </button>
      )}
    </li>
  );
}
