import { useEffect, useRef, useState, type ChangeEvent, type FormEvent, type ReactNode, type RefObject } from 'react';
import { ProblemError, type SignUpInput } from '../api/auth';
import { useI18n } from '../i18n/I18nProvider';
import { authPath, Link, navigate, safeNextPath, useLocation } from '../router';
import { AuthCard } from './AuthCard';
import { useAuth } from './AuthProvider';
import { FormAlert, ShowPasswordButton, TextField, usePasswordVisibility, type FormProblem } from './FormField';
import { fieldProblemText, problemSentence } from './problems';

/**
 * One field takes the email or the phone number: residents don't have to decide first, it is the same
 * field they sign in with, and the server normalises phone spellings (+7 701…, 8 701…, brackets, dashes).
 * Anything with an "@" is sent as `email`, anything else as `phone`.
 */
type Field = 'account' | 'displayName' | 'password' | 'passwordConfirm';
const FIELDS: readonly Field[] = ['account', 'displayName', 'password', 'passwordConfirm'];

type ClientErrorKey = 'errLoginRequired' | 'errLoginFormat' | 'errPasswordRequired' | 'errConfirmRequired' | 'errPasswordMismatch';
type FieldError =
  | { key: ClientErrorKey }
  | { server: { field: string; message: string } }
  /** 409: already registered */
  | { taken: 'email' | 'phone' };
type FieldErrors = Partial<Record<Field, FieldError>>;

/** Server field name -> form field. */
const SERVER_FIELDS: Record<string, Field> = {
  email: 'account',
  phone: 'account',
  login: 'account',
  displayName: 'displayName',
  password: 'password',
};

type AccountKind = 'email' | 'phone';
const kindOf = (value: string): AccountKind => (value.includes('@') ? 'email' : 'phone');

function checkAccount(value: string): ClientErrorKey | null {
  const v = value.trim();
  if (!v) return 'errLoginRequired';
  if (kindOf(v) === 'email') return /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v) ? null : 'errLoginFormat';
  const digits = v.replace(/\D/g, '');
  return /^[+\d\s().-]+$/.test(v) && digits.length >= 10 && digits.length <= 11 ? null : 'errLoginFormat';
}

export function SignUpPage() {
  const { t, lang } = useI18n();
  const { signUp, status } = useAuth();
  const { search } = useLocation();
  const next = safeNextPath(search.get('next'));

  const [values, setValues] = useState<Record<Field, string>>({ account: '', displayName: '', password: '', passwordConfirm: '' });
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<unknown>(null);
  const [submitting, setSubmitting] = useState(false);
  const password = usePasswordVisibility();

  const refs: Record<Field, RefObject<HTMLInputElement | null>> = {
    account: useRef<HTMLInputElement>(null),
    displayName: useRef<HTMLInputElement>(null),
    password: useRef<HTMLInputElement>(null),
    passwordConfirm: useRef<HTMLInputElement>(null),
  };
  const alertRef = useRef<HTMLDivElement>(null);
  const [focusTarget, setFocusTarget] = useState<Field | 'alert' | null>(null);

  useEffect(() => {
    if (status === 'signedIn') navigate(next, { replace: true });
  }, [status, next]);

  useEffect(() => {
    if (!focusTarget) return;
    if (focusTarget === 'alert') alertRef.current?.focus();
    else refs[focusTarget].current?.focus();
    setFocusTarget(null);
  }, [focusTarget]); // (refs are stable)

  const update = (field: Field) => (e: ChangeEvent<HTMLInputElement>) => {
    const value = e.target.value;
    setValues((v) => ({ ...v, [field]: value }));
    setFieldErrors((errs) => {
      if (!errs[field] && !(field === 'password' && errs.passwordConfirm)) return errs;
      const nextErrs = { ...errs, [field]: undefined };
      // A mismatch is about both fields: editing either one clears it.
      if (field === 'password' && errs.passwordConfirm && 'key' in errs.passwordConfirm && errs.passwordConfirm.key === 'errPasswordMismatch') {
        nextErrs.passwordConfirm = undefined;
      }
      return nextErrs;
    });
  };

  const onSubmit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (submitting) return;
    const errs: FieldErrors = {};
    const accountProblem = checkAccount(values.account);
    if (accountProblem) errs.account = { key: accountProblem };
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

    const account = values.account.trim();
    const input: SignUpInput = { password: values.password };
    if (kindOf(account) === 'email') input.email = account;
    else input.phone = account;
    const displayName = values.displayName.trim();
    if (displayName) input.displayName = displayName;

    setSubmitting(true);
    try {
      await signUp(input);
      // the effect above navigates once the state says "signed in"
    } catch (err) {
      const problems = err instanceof ProblemError && (err.status === 400 || err.status === 409 || err.status === 422) ? err.errors : [];
      const serverErrs: FieldErrors = {};
      for (const p of problems) {
        const field = SERVER_FIELDS[p.field];
        if (!field || serverErrs[field]) continue;
        const taken = err instanceof ProblemError && err.status === 409 && (p.field === 'email' || p.field === 'phone');
        serverErrs[field] = taken ? { taken: p.field as AccountKind } : { server: p };
      }
      setFieldErrors(serverErrs);
      const first = FIELDS.find((f) => serverErrs[f]);
      if (first && problems.every((p) => SERVER_FIELDS[p.field])) {
        setFocusTarget(first);
      } else {
        setFormError(err);
        setFocusTarget('alert');
      }
    } finally {
      setSubmitting(false);
    }
  };

  const errorNode = (field: Field): ReactNode => {
    const e = fieldErrors[field];
    if (!e) return undefined;
    if ('key' in e) return t[e.key];
    if ('taken' in e) {
      return (
        <>
          {t.alreadyRegistered[e.taken]} <Link to={authPath('/signin', next)}>{t.signInInstead}</Link>
        </>
      );
    }
    return fieldProblemText(t, e.server.field, e.server.message);
  };

  /** The email/phone error also carries `error-email` or `error-phone`, after the field at fault. */
  const accountError = (): ReactNode => {
    const e = fieldErrors.account;
    if (!e) return undefined;
    const kind: AccountKind = 'taken' in e ? e.taken : 'server' in e && (e.server.field === 'email' || e.server.field === 'phone') ? e.server.field : kindOf(values.account.trim());
    return <span data-testid={`error-${kind}`}>{errorNode('account')}</span>;
  };

  const problem: FormProblem | null = formError ? { title: t.signUpFailed, body: problemSentence(t, lang, formError) } : null;

  return (
    <AuthCard
      title={t.signUpTitle}
      intro={t.signUpIntro}
      footer={
        <>
          {t.haveAccount} <Link to={authPath('/signin', next)}>{t.signInLink}</Link>
        </>
      }
    >
      <form className="auth-form" data-testid="signup-form" noValidate onSubmit={onSubmit} aria-busy={submitting}>
        {problem && <FormAlert ref={alertRef} problem={problem} />}
        <TextField
          ref={refs.account}
          label={t.loginLabel}
          hint={t.signupLoginHint}
          testId="signup-login"
          errorTestId="error-signup-login"
          name="username"
          type="text"
          inputMode="email"
          autoComplete="username"
          autoCapitalize="none"
          autoCorrect="off"
          spellCheck={false}
          required
          maxLength={254}
          value={values.account}
          onChange={update('account')}
          error={accountError()}
        />
        <TextField
          ref={refs.displayName}
          label={t.displayNameLabel}
          hint={t.displayNameHint}
          testId="display-name"
          name="nickname"
          type="text"
          autoComplete="nickname"
          maxLength={100}
          value={values.displayName}
          onChange={update('displayName')}
          error={errorNode('displayName')}
        />
        <TextField
          ref={refs.password}
          label={t.passwordLabel}
          hint={t.passwordHint}
          testId="password"
          name="new-password"
          type={password.type}
          autoComplete="new-password"
          autoCapitalize="none"
          autoCorrect="off"
          spellCheck={false}
          required
          value={values.password}
          onChange={update('password')}
          error={errorNode('password')}
          adornment={<ShowPasswordButton visible={password.visible} onToggle={password.toggle} />}
        />
        <TextField
          ref={refs.passwordConfirm}
          label={t.passwordConfirmLabel}
          testId="password-confirm"
          name="password-confirm"
          type={password.type}
          autoComplete="new-password"
          autoCapitalize="none"
          autoCorrect="off"
          spellCheck={false}
          required
          value={values.passwordConfirm}
          onChange={update('passwordConfirm')}
          error={errorNode('passwordConfirm')}
        />
        <button className="auth-form__submit" type="submit" data-testid="submit" disabled={submitting}>
          {submitting && <span className="spinner spinner--light" aria-hidden="true" />}
          {submitting ? t.submittingSignUp : t.submitSignUp}
        </button>
      </form>
    </AuthCard>
  );
}
