import { useI18n } from '../i18n/I18nProvider';
import { format } from '../i18n/dictionaries';
import { useStaffStrings } from '../i18n/use-staff-strings';
import { ReportActions, type ReportRef } from './ReportActions';
import { OverdueItems } from './StaffParts';
import type { DispatchQueue, QueueReport, StaffApi } from './staff-api';
import { formatDateTime, shortId } from './staff-format';
import type { useStaffAction } from './use-staff-action';

interface QueuePanelProps {
  queue: DispatchQueue | null;
  others: ReportRef[];
  api: StaffApi;
  action: ReturnType<typeof useStaffAction>;
  highlight: string | null;
  onLocate: (lon: number, lat: number, key: string) => void;
  districtName: (id: string) => string;
}

/** New reports to register, reopened ones, follow-ups and overdue items. */
export function QueuePanel({ queue, others, api, action, highlight, onLocate }: QueuePanelProps) {
  const { t, lang } = useI18n();
  const s = useStaffStrings();
  if (!queue) return <p className="staff-empty">{s.loading}</p>;

  const item = (r: QueueReport) => (
    <li key={r.id} className={`staff-item${highlight === r.id ? ' staff-item--highlight' : ''}`} data-item-id={r.id} data-testid={`queue-${r.id}`}>
      <div className="staff-item__row">
        <span className="staff-item__title">{t.categories[r.category] ?? r.category}</span>
        <span className={`status-chip status-chip--${r.status}`}>{t.statuses[r.status] ?? r.status}</span>
      </div>
      <div className="staff-item__meta">
        <span>{formatDateTime(r.createdAt, lang)}</span>
        <span>#{shortId(r.id)}</span>
        {r.reopenCount > 0 && <span className="staff-tag staff-tag--warn">{format(s.reopenedTimes, { n: String(r.reopenCount) })}</span>}
        {r.escalated && <span className="staff-tag staff-tag--danger">{s.escalated}</span>}
      </div>
      <div className="staff-item__row">
        <button type="button" className="staff-link" onClick={() => onLocate(r.lon, r.lat, r.id)}>
          {s.showOnMap}
        </button>
        <a className="staff-link" href={`/reports/${r.id}`} target="_blank" rel="noopener" data-testid={`open-${r.id}`}>
          {s.openReport}
        </a>
      </div>
      <ReportActions report={r} others={others} api={api} busy={action.busy !== null} run={action.run} />
    </li>
  );

  return (
    <div className="staff-section">
      <h3 className="staff-h3">
        {s.queueNew} <span className="staff-count">{queue.toRegister.length}</span>
      </h3>
      {queue.toRegister.length === 0 ? <p className="staff-empty">{s.queueNewEmpty}</p> : <ul className="staff-list" data-testid="queue-new">{queue.toRegister.map(item)}</ul>}

      <h3 className="staff-h3">
        {s.queueReopened} <span className="staff-count">{queue.reopened.length + queue.followUps.length}</span>
      </h3>
      {queue.reopened.length + queue.followUps.length === 0 ? (
        <p className="staff-empty">{s.queueReopenedEmpty}</p>
      ) : (
        <ul className="staff-list" data-testid="queue-reopened">
          {queue.followUps.map((o) => (
            <li key={o.id} className="staff-item" data-item-id={o.id}>
              <div className="staff-item__row">
                <span className="staff-item__title">{o.title}</span>
                <span className="staff-tag staff-tag--warn">{s.followUp}</span>
              </div>
              <div className="staff-item__meta">
                <span>{format(s.orderReports, { n: String(o.reports) })}</span>
                <span>{o.crewId ? s.crewAssigned : s.noCrew}</span>
              </div>
            </li>
          ))}
          {queue.reopened.map(item)}
        </ul>
      )}

      <h3 className="staff-h3">
        {s.queueOverdue} <span className="staff-count">{queue.overdue.length}</span>
      </h3>
      {queue.overdue.length === 0 ? (
        <p className="staff-empty">{s.queueOverdueEmpty}</p>
      ) : (
        <OverdueItems flags={queue.overdue} testId="queue-overdue" />
      )}
    </div>
  );
}
