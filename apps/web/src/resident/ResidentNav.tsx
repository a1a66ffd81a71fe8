import { useAuth } from '../auth/AuthProvider';
import { useI18n } from '../i18n/I18nProvider';
import { Link, useLocation } from '../router';

/** Header links to the resident's and the crew's screens. */
export function ResidentNav() {
  const { t } = useI18n();
  const { user } = useAuth();
  const { route } = useLocation();
  const links: { to: string; label: string; current: boolean; testId: string }[] = [];
  if (!user || user.role === 'resident') {
    links.push({ to: '/report', label: t.res.navReport, current: route === 'report', testId: 'nav-report' });
  }
  if (user?.role === 'resident') links.push({ to: '/my-reports', label: t.res.navMyReports, current: route === 'myReports', testId: 'nav-my-reports' });
  if (user?.role === 'crew') links.push({ to: '/crew', label: t.res.navCrew, current: route === 'crew', testId: 'nav-crew' });
  if (!links.length) return null;
  return (
    <nav className="resident-nav" aria-label={t.res.navLabel}>
      {links.map((l) => (
        <Link key={l.to} to={l.to} data-testid={l.testId} aria-current={l.current ? 'page' : undefined}>
          {l.label}
        </Link>
      ))}
    </nav>
  );
}
