import { useEffect, useRef, useState, type ChangeEvent, type FormEvent } from 'react';
import { ProblemError } from '../api/auth';
import { useI18n } from '../i18n/I18nProvider';
import { authPath, Link, navigate, roleHome, safeNextPath, useLocation } from '../router';
import { AuthCard } from './AuthCard';
import { useAuth } from './AuthProvider';
import { FormAlert, ShowPasswordButton, TextField, usePasswordVisibility, type FormProblem } from './FormField';
import { fieldProblemText, problemSentence } from './problems';

type Field = 'login' | 'password';
const FIELDS: readonly Field[] = ['login', 'password'];
const isField = (name: string): name is Field => (FIELDS as readonly string[]).includes(name);

/** A client-side check (a dictionary key) or the server's message; rendered in the current language. */
type FieldError = { key: 'errLoginRequired' | 'errPasswordRequired' } | { server: { field: string; message: string } };
type FieldErrors = Partial<Record<Field, FieldError>>;

export function SignInPage() {
  const { t, lang } = useI18n();
  const { signIn, status, user } = useAuth();
  const { search } = useLocation();
  // No `next`: each role lands on its own screen.
  const next = search.get('next') ? safeNextPath(search.get('next')) : roleHome(user?.role);
  /** Arrived from a completed password reset (`?reset=1`). */
  const afterReset = search.get('reset') === '1';

  const [values, setValues] = useState<Record<Field, string>>({ login: '', password: '' });
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<unknown>(null);
  const [submitting, setSubmitting] = useState(false);
  const password = usePasswordVisibility();

  const refs = { login: useRef<HTMLInputElement>(null), password: useRef<HTMLInputElement>(null) };
  const alertRef = useRef<HTMLDivElement>(null);
  const [focusTarget, setFocusTarget] = useState<Field | 'alert' | null>(null);

  // Signed in (now, or already when the screen opened): go on.
  useEffect(() => {
    if (status === 'signedIn') navigate(next, { replace: true });
  }, [status, next]);

  useEffect(() => {
    if (!focusTarget) return;
    if (focusTarget === 'alert') alertRef.current?.focus();
    else {
      refs[focusTarget].current?.focus();
      if (focusTarget === 'password') refs.password.current?.select();
    }
    setFocusTarget(null);
  }, [focusTarget]); // (refs are stable)

  const update = (field: Field) => (e: ChangeEvent<HTMLInputElement>) => {
    const value = e.target.value;
    setValues((v) => ({ ...v, [field]: value }));
    if (fieldErrors[field]) setFieldErrors((errs) => ({ ...errs, [field]: undefined }));
  };

  const onSubmit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (submitting) return;
    const errs: FieldErrors = {};
    if (!values.login.trim()) errs.login = { key: 'errLoginRequired' };
    if (!values.password) errs.password = { key: 'errPasswordRequired' };
    setFieldErrors(errs);
    setFormError(null);
    const firstInvalid = FIELDS.find((f) => errs[f]);
    if (firstInvalid) {
      setFocusTarget(firstInvalid);
      return;
    }
    setSubmitting(true);
    try {
      await signIn(values.login.trim(), values.password);
      // the effect above navigates once the state says "signed in"
    } catch (err) {
      const problems = err instanceof ProblemError && err.status === 400 ? err.errors : [];
      const serverErrs: FieldErrors = {};
      for (const p of problems) if (isField(p.field)) serverErrs[p.field] ??= { server: p };
      setFieldErrors(serverErrs);
      const first = FIELDS.find((f) => serverErrs[f]);
      if (first && problems.every((p) => isField(p.field))) {
        // Every problem is shown next to its field.
        setFocusTarget(first);
      } else {
        setFormError(err);
        // Wrong login/password: straight back to the password; the alert is announced anyway.
        setFocusTarget(err instanceof ProblemError && err.status === 401 ? 'password' : 'alert');
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

  const problem: FormProblem | null = formError ? { title: t.signInFailed, body: problemSentence(t, lang, formError) } : null;

  return (
    <AuthCard
      title={t.signInTitle}
      intro={t.signInIntro}
      footer={
        <>
          {t.noAccount} <Link to={authPath('/signup', next)}>{t.createAccountLink}</Link>
        </>
      }
    >
      <form className="auth-form" data-testid="signin-form" noValidate onSubmit={onSubmit} aria-busy={submitting}>
        {afterReset && !problem && (
          <p className="auth-notice auth-notice--success" role="status" data-testid="reset-done">
            {t.resetDone}
          </p>
        )}
        {problem && <FormAlert ref={alertRef} problem={problem} />}
        <TextField
          ref={refs.login}
          label={t.loginLabel}
          hint={t.loginHint}
          testId="login"
          name="username"
          type="text"
          inputMode="email"
          autoComplete="username"
          autoCapitalize="none"
          autoCorrect="off"
          spellCheck={false}
          required
          maxLength={254}
          value={values.login}
          onChange={update('login')}
          error={errorText('login')}
        />
        <TextField
          ref={refs.password}
          label={t.passwordLabel}
          testId="password"
          name="password"
          type={password.type}
          autoComplete="current-password"
          autoCapitalize="none"
          autoCorrect="off"
          spellCheck={false}
          required
          value={values.password}
          onChange={update('password')}
          error={errorText('password')}
          adornment={<ShowPasswordButton visible={password.visible} onToggle={password.toggle} />}
        />
        <p className="auth-form__aside">
          <Link to="/forgot-password" data-testid="forgot-link">
            {t.forgotLink}
          </Link>
        </p>
        <button className="auth-form__submit" type="submit" data-testid="submit" disabled={submitting}>
          {submitting && <span className="spinner spinner--light" aria-hidden="true" />}
          {submitting ? t.submittingSignIn : t.submitSignIn}
        </button>
      </form>
    </AuthCard>
  );
}
