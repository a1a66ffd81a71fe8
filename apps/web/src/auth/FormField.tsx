import { forwardRef, useId, useState, type InputHTMLAttributes, type ReactNode } from 'react';
import { useI18n } from '../i18n/I18nProvider';

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'aria-invalid' | 'aria-describedby'>;

export interface FieldProps extends InputProps {
  label: string;
  hint?: string;
  error?: ReactNode;
  /** data-testid of the input */
  testId: string;
  /** data-testid of the error element (default `error-<testId>`) */
  errorTestId?: string;
  /** Extra control drawn inside the input box (the show-password button). */
  adornment?: ReactNode;
}

/** Label, hint, input and error, wired together for assistive technology. */
export const TextField = forwardRef<HTMLInputElement, FieldProps>(function TextField(
  { label, hint, error, testId, errorTestId, adornment, className, ...input },
  ref,
) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${error ? ' field--invalid' : ''}`}>
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      {hint && (
        <p className="field__hint" id={hintId}>
          {hint}
        </p>
      )}
      <div className={`field__control${adornment ? ' field__control--adorned' : ''}`}>
        <input
          ref={ref}
          id={id}
          className={`field__input${className ? ` ${className}` : ''}`}
          data-testid={testId}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          {...input}
        />
        {adornment}
      </div>
      {error && <FieldError id={errorId} testId={errorTestId ?? `error-${testId}`} text={error} />}
    </div>
  );
});

/** A field's error line, tied to its control by `id` (aria-describedby). */
export function FieldError({ id, testId, text }: { id: string; testId: string; text: ReactNode }) {
  return (
    <p className="field__error" id={id} data-testid={testId}>
      <svg className="field__error-icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
        <circle cx="8" cy="8" r="8" fill="currentColor" />
        <path d="M7 3.5h2l-.3 6h-1.4zM8 11a1.1 1.1 0 1 1 0 2.2A1.1 1.1 0 0 1 8 11z" fill="#fff" />
      </svg>
      <span>{text}</span>
    </p>
  );
}

/** A show/hide toggle for password inputs. */
export function usePasswordVisibility() {
  const [visible, setVisible] = useState(false);
  return { visible, type: visible ? 'text' : 'password', toggle: () => setVisible((v) => !v) };
}

export function ShowPasswordButton({ visible, onToggle }: { visible: boolean; onToggle: () => void }) {
  const { t } = useI18n();
  const label = visible ? t.hidePassword : t.showPassword;
  return (
    <button type="button" className="field__reveal" aria-label={label} title={label} onClick={onToggle}>
      <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
        <path
          d="M12 5C6.5 5 2.7 9.2 1.5 12c1.2 2.8 5 7 10.5 7s9.3-4.2 10.5-7C21.3 9.2 17.5 5 12 5zm0 11.5a4.5 4.5 0 1 1 0-9 4.5 4.5 0 0 1 0 9zm0-2.3a2.2 2.2 0 1 0 0-4.4 2.2 2.2 0 0 0 0 4.4z"
          fill="currentColor"
        />
        {visible && <path d="M3.5 3.5l17 17" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" />}
      </svg>
    </button>
  );
}

export interface FormProblem {
  title: string;
  body: ReactNode;
}

/** The form-level alert: a translated title and the server's sentence (or a translated one). */
export const FormAlert = forwardRef<HTMLDivElement, { problem: FormProblem }>(function FormAlert({ problem }, ref) {
  return (
    <div ref={ref} className="form-alert" role="alert" data-testid="form-error" tabIndex={-1}>
      <p className="form-alert__title">{problem.title}</p>
      <div className="form-alert__body">{problem.body}</div>
    </div>
  );
});
