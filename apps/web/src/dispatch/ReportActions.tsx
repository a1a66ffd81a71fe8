import { useId, useState, type FormEvent } from 'react';
import { useI18n } from '../i18n/I18nProvider';
import { format } from '../i18n/dictionaries';
import { useStaffStrings } from '../i18n/use-staff-strings';
import type { StaffApi } from './staff-api';
import { formatNumber, metresBetween, shortId } from './staff-format';

export interface ReportRef {
  id: string;
  category: string;
  status: string;
  lon: number;
  lat: number;
}

interface ReportActionsProps {
  report: ReportRef;
  /** Other open reports of the city: candidates for "duplicate of". */
  others: ReportRef[];
  api: StaffApi;
  busy: boolean;
  run: (key: string, action: () => Promise<unknown>, done: string) => Promise<boolean>;
}

/** Register / reject with a reason / mark as a duplicate of a nearby report. */
export function ReportActions({ report, others, api, busy, run }: ReportActionsProps) {
  const { t, lang } = useI18n();
  const s = useStaffStrings();
  const [mode, setMode] = useState<'none' | 'reject' | 'duplicate'>('none');
  const [reason, setReason] = useState('');
  const [original, setOriginal] = useState('');
  const [reasonError, setReasonError] = useState(false);
  const ids = useId();

  const nearest = others
    .filter((o) => o.id !== report.id)
    .map((o) => ({ ...o, metres: metresBetween(report, o) }))
    .sort((a, b) => a.metres - b.metres)
    .slice(0, 8);

  const register = () => void run(`register-${report.id}`, () => api.transition(report.id, 'register'), s.doneRegistered);

  const reject = async (e: FormEvent) => {
    e.preventDefault();
    if (!reason.trim()) {
      setReasonError(true);
      return;
    }
    if (await run(`reject-${report.id}`, () => api.transition(report.id, 'reject', { reason: reason.trim() }), s.doneRejected)) setMode('none');
  };

  const duplicate = async (e: FormEvent) => {
    e.preventDefault();
    const of = original || nearest[0]?.id;
    if (!of) return;
    if (await run(`duplicate-${report.id}`, () => api.transition(report.id, 'duplicate', { duplicateOf: of }), s.doneDuplicate)) setMode('none');
  };

  return (
    <div className="report-actions">
      <div className="staff-buttons">
        {report.status === 'submitted' && (
          <button type="button" className="staff-button staff-button--primary" disabled={busy} onClick={register} data-testid={`register-${report.id}`}>
            {s.register}
          </button>
        )}
        <button type="button" className="staff-button" aria-expanded={mode === 'reject'} disabled={busy} onClick={() => setMode(mode === 'reject' ? 'none' : 'reject')} data-testid={`reject-${report.id}`}>
          {s.reject}
        </button>
        <button
          type="button"
          className="staff-button"
          aria-expanded={mode === 'duplicate'}
          disabled={busy || nearest.length === 0}
          title={nearest.length === 0 ? s.noDuplicateCandidates : undefined}
          onClick={() => setMode(mode === 'duplicate' ? 'none' : 'duplicate')}
          data-testid={`duplicate-${report.id}`}
        >
          {s.markDuplicate}
        </button>
      </div>
      {mode === 'reject' && (
        <form className="staff-inline-form" onSubmit={reject} noValidate>
          <label className="staff-field" htmlFor={`${ids}-reason`}>
            <span>{s.rejectReasonLabel}</span>
          </label>
          <textarea
            id={`${ids}-reason`}
            rows={2}
            value={reason}
            maxLength={2000}
            aria-invalid={reasonError}
            aria-describedby={reasonError ? `${ids}-reason-error` : undefined}
            onChange={(e) => {
              setReason(e.target.value);
              setReasonError(false);
            }}
            data-testid="reject-reason"
          />
          {reasonError && (
            <p className="staff-field-error" id={`${ids}-reason-error`} role="alert">
              {s.rejectReasonRequired}
            </p>
          )}
          <button type="submit" className="staff-button staff-button--danger" disabled={busy} data-testid="reject-confirm">
            {s.rejectConfirm}
          </button>
        </form>
      )}
      {mode === 'duplicate' && (
        <form className="staff-inline-form" onSubmit={duplicate}>
          <label className="staff-field">
            <span>{s.duplicateOfLabel}</span>
            <select value={original || nearest[0]?.id || ''} onChange={(e) => setOriginal(e.target.value)} data-testid="duplicate-of">
              {nearest.map((o) => (
                <option key={o.id} value={o.id}>
                  {format(s.duplicateOption, {
                    category: t.categories[o.category] ?? o.category,
                    id: shortId(o.id),
                    metres: formatNumber(o.metres, lang, 0),
                  })}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className="staff-button staff-button--primary" disabled={busy} data-testid="duplicate-confirm">
            {s.duplicateConfirm}
          </button>
        </form>
      )}
    </div>
  );
}
