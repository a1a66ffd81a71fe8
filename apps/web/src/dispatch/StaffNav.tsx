import { useAuth } from '../auth/AuthProvider';
import { useStaffStrings } from '../i18n/use-staff-strings';
import { Link, useLocation } from '../router';

/** Header links to the staff screens the signed-in role may open. */
export function StaffNav() {
  const s = useStaffStrings();
  const { user } = useAuth();
  const { route } = useLocation();
  if (!user) return null;
  const links: { to: string; route: string; label: string; testId: string }[] = [];
  if (user.role === 'dispatcher' || user.role === 'admin') links.push({ to: '/dispatch', route: 'dispatch', label: s.navDispatch, testId: 'nav-dispatch' });
  if (user.role === 'akim' || user.role === 'admin') links.push({ to: '/akim', route: 'akim', label: s.navAkim, testId: 'nav-akim' });
  if (!links.length) return null;
  return (
    <nav className="staff-nav" aria-label={s.navLabel}>
      {links.map((l) => (
        <Link key={l.to} to={l.to} className="staff-nav__link" aria-current={route === l.route ? 'page' : undefined} data-testid={l.testId}>
          {l.label}
        </Link>
      ))}
    </nav>
  );
}
