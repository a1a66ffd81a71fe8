import { useEffect, useState, type FormEvent } from 'react';
import { useI18n } from '../i18n/I18nProvider';
import { format } from '../i18n/dictionaries';
import { useStaffStrings } from '../i18n/use-staff-strings';
import type { Camera, IncidentItem, StaffApi } from './staff-api';
import { formatDateTime, formatPercent } from './staff-format';
import type { useStaffAction } from './use-staff-action';

interface IncidentsPanelProps {
  /** null: this server has no CCTV module. */
  incidents: IncidentItem[] | null | undefined;
  offline: Camera[] | null;
  api: StaffApi;
  action: ReturnType<typeof useStaffAction>;
  highlight: string | null;
  onLocate: (lon: number, lat: number, key: string) => void;
}

/** CCTV incidents waiting for a dispatcher: the snapshot, confirm or dismiss with a reason. */
export function IncidentsPanel({ incidents, offline, api, action, highlight, onLocate }: IncidentsPanelProps) {
  const { lang } = useI18n();
  const s = useStaffStrings();
  return (
    <div className="staff-section">
      <h3 className="staff-h3">
        {s.queueReview} <span className="staff-count">{incidents?.length ?? 0}</span>
      </h3>
      {incidents === undefined ? (
        <p className="staff-empty">{s.loading}</p>
      ) : incidents === null ? (
        <p className="staff-empty">{s.moduleMissing}</p>
      ) : incidents.length === 0 ? (
        <p className="staff-empty">{s.queueReviewEmpty}</p>
      ) : (
        <ul className="staff-list" data-testid="queue-review">
          {incidents.map((i) => (
            <IncidentItemView key={i.id} incident={i} api={api} action={action} highlighted={highlight === i.id} onLocate={onLocate} />
          ))}
        </ul>
      )}
      {offline && offline.length > 0 && (
        <>
          <h3 className="staff-h3">
            {s.camerasOffline} <span className="staff-count">{offline.length}</span>
          </h3>
          <ul className="staff-list" data-testid="cameras-offline">
            {offline.map((c) => (
              <li key={c.id} className="staff-item staff-item--overdue" data-item-id={c.id}>
                <div className="staff-item__row">
                  <span className="staff-item__title">{c.name}</span>
                  <span className="staff-tag staff-tag--danger">{s.offline}</span>
                </div>
                <div className="staff-item__meta">
                  <span>{format(s.lastHeartbeat, { when: formatDateTime(c.lastHeartbeatAt, lang) })}</span>
                </div>
                <button type="button" className="staff-link" onClick={() => onLocate(c.position.lon, c.position.lat, c.id)}>
                  {s.showOnMap}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

function IncidentItemView({ incident, api, action, highlighted, onLocate }: { incident: IncidentItem; api: StaffApi; action: ReturnType<typeof useStaffAction>; highlighted: boolean; onLocate: IncidentsPanelProps['onLocate'] }) {
  const { lang } = useI18n();
  const s = useStaffStrings();
  const [snapshot, setSnapshot] = useState<string | null>(null);
  const [dismissing, setDismissing] = useState(false);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState(false);

  // Snapshots are staff-only: fetched with the token, shown from an object URL.
  useEffect(() => {
    if (!incident.snapshotUrl) return;
    let url: string | null = null;
    let live = true;
    api.blobUrl(incident.snapshotUrl).then(
      (u) => {
        url = u;
        if (live) setSnapshot(u);
        else URL.revokeObjectURL(u);
      },
      () => undefined,
    );
    return () => {
      live = false;
      if (url) URL.revokeObjectURL(url);
    };
  }, [api, incident.snapshotUrl]);

  const dismiss = async (e: FormEvent) => {
    e.preventDefault();
    if (!reason.trim()) {
      setReasonError(true);
      return;
    }
    await action.run(`dismiss-${incident.id}`, () => api.dismissIncident(incident.id, reason.trim()), s.doneDismissed);
  };
  const busy = action.busy !== null;

  return (
    <li className={`staff-item${highlighted ? ' staff-item--highlight' : ''}`} data-item-id={incident.id} data-testid={`incident-${incident.id}`}>
      <div className="staff-incident">
        {snapshot ? <img className="staff-incident__snapshot" src={snapshot} alt={s.snapshotAlt} /> : <div className="staff-incident__snapshot staff-incident__snapshot--none">{s.noSnapshot}</div>}
        <div>
          <div className="staff-item__title">{s.incidentClasses[incident.class] ?? incident.class}</div>
          <div className="staff-item__meta">
            <span>{incident.cameraName ?? incident.cameraId.slice(0, 8)}</span>
            <span>{formatDateTime(incident.occurredAt, lang)}</span>
            <span>
              {s.confidence}: {formatPercent(incident.confidence, lang)}
            </span>
          </div>
          {incident.position && (
            <button type="button" className="staff-link" onClick={() => onLocate(incident.position!.lon, incident.position!.lat, incident.id)}>
              {s.showOnMap}
            </button>
          )}
        </div>
      </div>
      <div className="staff-buttons">
        <button type="button" className="staff-button staff-button--primary" disabled={busy} onClick={() => void action.run(`confirm-${incident.id}`, () => api.confirmIncident(incident.id), s.doneConfirmed)} data-testid={`confirm-${incident.id}`}>
          {s.confirmIncident}
        </button>
        <button type="button" className="staff-button" aria-expanded={dismissing} disabled={busy} onClick={() => setDismissing(!dismissing)} data-testid={`dismiss-${incident.id}`}>
          {s.dismissIncident}
        </button>
      </div>
      {dismissing && (
        <form className="staff-inline-form" onSubmit={dismiss} noValidate>
          <label className="staff-field">
            <span>{s.dismissReasonLabel}</span>
            <input
              value={reason}
              maxLength={2000}
              aria-invalid={reasonError}
              onChange={(e) => {
                setReason(e.target.value);
                setReasonError(false);
              }}
              data-testid="dismiss-reason"
            />
          </label>
          {reasonError && (
            <p className="staff-field-error" role="alert">
              {s.dismissReasonRequired}
            </p>
          )}
          <button type="submit" className="staff-button staff-button--danger" disabled={busy} data-testid="dismiss-confirm">
            {s.dismissIncident}
          </button>
        </form>
      )}
    </li>
  );
}
