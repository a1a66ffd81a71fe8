import { useI18n } from '../i18n/I18nProvider';
import { format } from '../i18n/dictionaries';
import { useStaffStrings } from '../i18n/use-staff-strings';
import type { Crew, SlaFlag } from './staff-api';
import { formatDateTime } from './staff-format';
import type { Notice } from './use-staff-action';

/** The outcome of the last action and a failed load, announced politely. */
export function StaffNotices({ notice, onDismiss, loadFailed, onRetry }: { notice: Notice | null; onDismiss: () => void; loadFailed: boolean; onRetry: () => void }) {
  const { t } = useI18n();
  const s = useStaffStrings();
  return (
    <div aria-live="polite">
      {notice && (
        <div className={`staff-notice staff-notice--${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'} data-testid="staff-notice">
          <span>{notice.text}</span>
          <button type="button" className="staff-notice__close" aria-label={t.dismiss} onClick={onDismiss}>
            ×
          </button>
        </div>
      )}
      {loadFailed && (
        <div className="staff-notice staff-notice--error" role="alert">
          <span>{s.loadFailed}</span>
          <button type="button" className="staff-button staff-button--small" onClick={onRetry}>
            {t.retry}
          </button>
        </div>
      )}
    </div>
  );
}

/** Reports and work orders past their SLA target. */
export function OverdueItems({ flags, testId }: { flags: SlaFlag[]; testId: string }) {
  const { lang } = useI18n();
  const s = useStaffStrings();
  return (
    <ul className="staff-list" data-testid={testId}>
      {flags.map((f) => (
        <li key={`${f.objectType}-${f.objectId}-${f.kind}`} className="staff-item staff-item--overdue" data-item-id={f.objectId}>
          <div className="staff-item__row">
            <span className="staff-item__title">{f.objectType === 'report' ? s.overdueReport : s.overdueOrder}</span>
            <span className="staff-tag staff-tag--danger">{s.slaKinds[f.kind] ?? f.kind}</span>
          </div>
          <div className="staff-item__meta">
            <span>{f.summary}</span>
            <span>{format(s.dueAt, { when: formatDateTime(f.dueAt, lang) })}</span>
          </div>
        </li>
      ))}
    </ul>
  );
}

/** A labelled crew picker; `none` is the first option's text (value ""). */
export function CrewSelect({ crews, value, onChange, none, testId }: { crews: Crew[]; value: string; onChange: (id: string) => void; none: string; testId: string }) {
  const s = useStaffStrings();
  return (
    <label className="staff-field staff-field--inline">
      <span>{s.crewLabel}</span>
      <select value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
        <option value="">{none}</option>
        {crews.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </select>
    </label>
  );
}
