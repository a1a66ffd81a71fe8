import { useEffect, useRef, useState, type ChangeEvent, type FormEvent, type RefObject } from 'react';
import { confirmPasswordReset, ProblemError } from '../api/auth';
import { useI18n } from '../i18n/I18nProvider';
import { Link, navigate } from '../router';
import { AuthCard } from './AuthCard';
import { useAuth } from './AuthProvider';
import { FormAlert, ShowPasswordButton, TextField, usePasswordVisibility, type FormProblem } from './FormField';
import { fieldProblemText, problemSentence } from './problems';

/**
 * The page the emailed link opens: `/reset-password#token=…`.
 *
 * The token travels in the fragment, so it never reaches a server log or a Referer header. It is taken
 * out of the address bar at once (history.replaceState), so it is not left in the browser history; the
 * tab keeps it in sessionStorage so that a reload (or a phone discarding the tab) does not lose it, and
 * forgets it once it is used or refused.
 */
const TOKEN_KEY = 'tazaMap.resetToken';

function tokenFromHash(): string | null {
  const hash = window.location.hash.replace(/^#/, '');
  if (!hash) return null;
  const token = new URLSearchParams(hash).get('token')?.trim();
  return token ? token : null;
}

function storedToken(): string | null {
  try {
    return window.sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

function storeToken(token: string | null): void {
  try {
    if (token) window.sessionStorage.setItem(TOKEN_KEY, token);
    else window.sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    // storage unavailable (privacy mode): the token lives in memory only
  }
}

/**
 * Reads the token (a fresh link wins over a remembered one) and removes it from the address bar.
 * Safe to run twice (StrictMode): the second run finds the token in storage instead of the cleared hash.
 */
function takeToken(): string | null {
  const fromHash = tokenFromHash();
  if (window.location.hash) {
    window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search);
  }
  if (fromHash) {
    storeToken(fromHash);
    return fromHash;
  }
  return storedToken();
}

type Field = 'password' | 'passwordConfirm';
const FIELDS: readonly Field[] = ['password', 'passwordConfirm'];
type ClientErrorKey = 'errPasswordRequired' | 'errConfirmRequired' | 'errPasswordMismatch';
type FieldError = { key: ClientErrorKey } | { server: { field: string; message: string } };
type FieldErrors = Partial<Record<Field, FieldError>>;

/** `form`: choose the password; `missing`: opened without a token; `invalid`: the server refused the token. */
type Stage = 'form' | 'missing' | 'invalid';

export function ResetPasswordPage() {
  const { t, lang } = useI18n();
  const { status, signOut } = useAuth();
  // On the first render: the token leaves the address bar (and the history entry) right away.
  const [token] = useState<string | null>(takeToken);
  const [stage, setStage] = useState<Stage>(token ? 'form' : 'missing');

  const [values, setValues] = useState<Record<Field, string>>({ password: '', passwordConfirm: '' });
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<unknown>(null);
  const [submitting, setSubmitting] = useState(false);
  const password = usePasswordVisibility();

  const refs: Record<Field, RefObject<HTMLInputElement | null>> = {
    password: useRef<HTMLInputElement>(null),
    passwordConfirm: useRef<HTMLInputElement>(null),
  };
  const alertRef = useRef<HTMLDivElement>(null);
  const [focusTarget, setFocusTarget] = useState<Field | 'alert' | null>(null);

  useEffect(() => {
    if (!focusTarget) return;
    if (focusTarget === 'alert') alertRef.current?.focus();
    else {
      refs[focusTarget].current?.focus();
      refs[focusTarget].current?.select();
    }
    setFocusTarget(null);
  }, [focusTarget]); // (refs are stable)

  const update = (field: Field) => (e: ChangeEvent<HTMLInputElement>) => {
    const value = e.target.value;
    setValues((v) => ({ ...v, [field]: value }));
    setFieldErrors((errs) => {
      const mismatch = errs.passwordConfirm && 'key' in errs.passwordConfirm && errs.passwordConfirm.key === 'errPasswordMismatch';
      if (!errs[field] && !(field === 'password' && mismatch)) return errs;
      const next = { ...errs, [field]: undefined };
      if (field === 'password' && mismatch) next.passwordConfirm = undefined;
      return next;
    });
  };

  const onSubmit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (submitting || !token) return;
    const errs: FieldErrors = {};
    if (!values.password) errs.password = { key: 'errPasswordRequired' };
    if (!values.passwordConfirm) errs.passwordConfirm = { key: 'errConfirmRequired' };
    else if (values.password && values.password !== values.passwordConfirm) errs.passwordConfirm = { key: 'errPasswordMismatch' };
    setFieldErrors(errs);
    setFormError(null);
    const firstInvalid = FIELDS.find((f) => errs[f]);
    if (firstInvalid) {
      setFocusTarget(firstInvalid);
      return;
    }

    setSubmitting(true);
    try {
      await confirmPasswordReset(token, values.password);
      storeToken(null);
      // Every session of the account has ended on the server; forget ours too, so the sign-in screen
      // does not bounce a stale session straight back to the map.
      if (status !== 'signedOut') await signOut().catch(() => undefined);
      navigate('/signin?reset=1', { replace: true });
    } catch (err) {
      const problems = err instanceof ProblemError && err.status === 400 ? err.errors : [];
      if (problems.some((p) => p.field === 'token')) {
        storeToken(null);
        setStage('invalid');
        setFocusTarget('alert');
        return;
      }
      const passwordProblem = problems.find((p) => p.field === 'newPassword');
      if (passwordProblem && problems.every((p) => p.field === 'newPassword')) {
        // A refused password leaves the link usable: try another one.
        setFieldErrors({ password: { server: passwordProblem } });
        setFocusTarget('password');
      } else {
        setFormError(err);
        setFocusTarget('alert');
      }
    } finally {
      setSubmitting(false);
    }
  };

  const errorText = (field: Field) => {
    const e = fieldErrors[field];
    if (!e) return undefined;
    return 'key' in e ? t[e.key] : fieldProblemText(t, e.server.field, e.server.message);
  };

  const footer = <Link to="/signin">{t.backToSignIn}</Link>;

  if (stage !== 'form') {
    const problem: FormProblem = {
      title: stage === 'invalid' ? t.resetLinkInvalidTitle : t.resetLinkMissingTitle,
      body: (
        <>
          <p className="form-alert__text">{stage === 'invalid' ? t.resetLinkInvalid : t.resetLinkMissing}</p>
          <p className="form-alert__text">
            <Link to="/forgot-password" data-testid="ask-again-link">
              {t.askNewLink}
            </Link>
          </p>
        </>
      ),
    };
    return (
      <AuthCard title={t.resetTitle} intro={t.resetIntro} footer={footer}>
        <FormAlert ref={alertRef} problem={problem} />
      </AuthCard>
    );
  }

  const problem: FormProblem | null = formError ? { title: t.resetFailed, body: problemSentence(t, lang, formError) } : null;

  return (
    <AuthCard title={t.resetTitle} intro={t.resetIntro} footer={footer}>
      <form className="auth-form" data-testid="reset-form" noValidate onSubmit={onSubmit} aria-busy={submitting}>
        {problem && <FormAlert ref={alertRef} problem={problem} />}
        <TextField
          ref={refs.password}
          label={t.newPasswordLabel}
          hint={t.passwordHint}
          testId="password"
          name="new-password"
          type={password.type}
          autoComplete="new-password"
          autoCapitalize="none"
          autoCorrect="off"
          spellCheck={false}
          required
          maxLength={1024}
          value={values.password}
          onChange={update('password')}
          error={errorText('password')}
          adornment={<ShowPasswordButton visible={password.visible} onToggle={password.toggle} />}
        />
        <TextField
          ref={refs.passwordConfirm}
          label={t.newPasswordConfirmLabel}
          testId="password-confirm"
          name="new-password-confirm"
          type={password.type}
          autoComplete="new-password"
          autoCapitalize="none"
          autoCorrect="off"
          spellCheck={false}
          required
          maxLength={1024}
          value={values.passwordConfirm}
          onChange={update('passwordConfirm')}
          error={errorText('passwordConfirm')}
        />
        <button className="auth-form__submit" type="submit" data-testid="submit" disabled={submitting}>
          {submitting && <span className="spinner spinner--light" aria-hidden="true" />}
          {submitting ? t.submittingReset : t.submitReset}
        </button>
      </form>
    </AuthCard>
  );
}
