import { useEffect, useRef } from 'react';
import { useAuth, userLabel } from '../auth/AuthProvider';
import { useI18n } from '../i18n/I18nProvider';
import { authPath, Link, useLocation } from '../router';

/** Header corner: "Sign in", or who is signed in (name, role) and "Sign out". */
export function AccountArea() {
  const { t } = useI18n();
  const { status, user, signOut } = useAuth();
  const location = useLocation();
  const signInRef = useRef<HTMLAnchorElement>(null);
  const focusSignIn = useRef(false);

  useEffect(() => {
    // After "Sign out" its button is gone: keep keyboard focus in the same place.
    if (status === 'signedOut' && focusSignIn.current) {
      focusSignIn.current = false;
      signInRef.current?.focus();
    }
  }, [status]);

  if (status === 'restoring') {
    // Space is kept so the header doesn't jump when the session comes back.
    return <div className="account account--pending" aria-hidden="true" />;
  }

  if (!user) {
    const onAuthScreen = location.route === 'signin' || location.route === 'signup';
    const returnTo = onAuthScreen ? location.search.get('next') : location.href;
    return (
      <div className="account">
        <Link
          ref={signInRef}
          className="account__signin"
          data-testid="signin-link"
          to={authPath('/signin', returnTo)}
          aria-current={location.route === 'signin' ? 'page' : undefined}
        >
          <svg className="account__icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path
              d="M12 12a4.5 4.5 0 1 0 0-9 4.5 4.5 0 0 0 0 9zm0 2.2c-4.2 0-8 2.1-8 5.3V21h16v-1.5c0-3.2-3.8-5.3-8-5.3z"
              fill="currentColor"
            />
          </svg>
          {t.signIn}
        </Link>
      </div>
    );
  }

  const label = userLabel(user);
  const roleName = t.roles[user.role] ?? user.role;
  return (
    <div className="account" role="group" aria-label={t.accountLabel}>
      <div className="account__who">
        <span className="visually-hidden">{t.signedInAs} </span>
        <span className="account__name" data-testid="current-user" title={label}>
          {label}
        </span>
        <span className="visually-hidden">, {t.roleLabel}: </span>
        <span className={`role-badge role-badge--${user.role}`} data-testid="current-role">
          {roleName}
        </span>
      </div>
      <button
        type="button"
        className="account__signout"
        data-testid="signout"
        onClick={() => {
          focusSignIn.current = true;
          void signOut();
        }}
      >
        {t.signOut}
      </button>
    </div>
  );
}
