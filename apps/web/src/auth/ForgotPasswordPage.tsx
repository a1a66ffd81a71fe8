import { useEffect, useRef, useState, type ChangeEvent, type FormEvent } from 'react';
import { ProblemError, requestPasswordReset } from '../api/auth';
import { format } from '../i18n/dictionaries';
import { useI18n } from '../i18n/I18nProvider';
import { Link } from '../router';
import { AuthCard } from './AuthCard';
import { FormAlert, TextField, type FormProblem } from './FormField';
import { fieldProblemText, problemSentence } from './problems';

type FieldError = { key: 'errLoginRequired' } | { server: { field: string; message: string } };

/**
 * "Forgot your password?": asks the server to email a one-time link. The confirmation reads the same
 * whether or not the account exists (the server answers 202 either way), so the screen reveals nothing.
 */
export function ForgotPasswordPage() {
  const { t, lang } = useI18n();
  const [login, setLogin] = useState('');
  const [fieldError, setFieldError] = useState<FieldError | null>(null);
  const [formError, setFormError] = useState<unknown>(null);
  const [submitting, setSubmitting] = useState(false);
  /** The login the link was asked for; set once the server has accepted the request. */
  const [sentTo, setSentTo] = useState<string | null>(null);

  const loginRef = useRef<HTMLInputElement>(null);
  const alertRef = useRef<HTMLDivElement>(null);
  const sentRef = useRef<HTMLDivElement>(null);
  const [focusTarget, setFocusTarget] = useState<'login' | 'alert' | 'sent' | null>(null);

  useEffect(() => {
    if (!focusTarget) return;
    if (focusTarget === 'login') loginRef.current?.focus();
    else if (focusTarget === 'alert') alertRef.current?.focus();
    else sentRef.current?.focus();
    setFocusTarget(null);
  }, [focusTarget]);

  const onChange = (e: ChangeEvent<HTMLInputElement>) => {
    setLogin(e.target.value);
    if (fieldError) setFieldError(null);
  };

  const onSubmit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (submitting) return;
    setFormError(null);
    const value = login.trim();
    if (!value) {
      setFieldError({ key: 'errLoginRequired' });
      setFocusTarget('login');
      return;
    }
    setFieldError(null);
    setSubmitting(true);
    try {
      await requestPasswordReset(value);
      setSentTo(value);
      setFocusTarget('sent');
    } catch (err) {
      const problems = err instanceof ProblemError && err.status === 400 ? err.errors : [];
      const loginProblem = problems.find((p) => p.field === 'login');
      if (loginProblem && problems.every((p) => p.field === 'login')) {
        setFieldError({ server: loginProblem });
        setFocusTarget('login');
      } else {
        setFormError(err);
        setFocusTarget('alert');
      }
    } finally {
      setSubmitting(false);
    }
  };

  const askAgain = () => {
    setSentTo(null);
    setFocusTarget('login');
  };

  const errorText = fieldError ? ('key' in fieldError ? t[fieldError.key] : fieldProblemText(t, fieldError.server.field, fieldError.server.message)) : undefined;
  const problem: FormProblem | null = formError ? { title: t.forgotFailed, body: problemSentence(t, lang, formError) } : null;

  return (
    <AuthCard title={t.forgotTitle} intro={t.forgotIntro} footer={<Link to="/signin">{t.backToSignIn}</Link>}>
      {sentTo !== null ? (
        <div className="auth-notice" role="status" data-testid="forgot-sent" ref={sentRef} tabIndex={-1}>
          <p className="auth-notice__title">{t.forgotSentTitle}</p>
          <p>{format(t.forgotSentText, { login: sentTo })}</p>
          <p>{t.forgotSentHint}</p>
          <button type="button" className="auth-notice__action" data-testid="forgot-again" onClick={askAgain}>
            {t.forgotAgain}
          </button>
        </div>
      ) : (
        <form className="auth-form" data-testid="forgot-form" noValidate onSubmit={onSubmit} aria-busy={submitting}>
          {problem && <FormAlert ref={alertRef} problem={problem} />}
          <TextField
            ref={loginRef}
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
            value={login}
            onChange={onChange}
            error={errorText}
          />
          <button className="auth-form__submit" type="submit" data-testid="submit" disabled={submitting}>
            {submitting && <span className="spinner spinner--light" aria-hidden="true" />}
            {submitting ? t.submittingForgot : t.submitForgot}
          </button>
        </form>
      )}
    </AuthCard>
  );
}
