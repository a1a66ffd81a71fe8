import { forwardRef, useMemo, useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from 'react';

/**
 * A tiny History-API router: the app has a handful of screens (`/`, `/signin`, `/signup`,
 * `/forgot-password`, `/reset-password`), which does not justify a routing library. The server answers
 * every unknown non-API GET with index.html.
 */

export type RouteName = 'map' | 'signin' | 'signup' | 'forgotPassword' | 'resetPassword' | 'dispatch' | 'akim' | 'notFound' | 'report' | 'reportDetail' | 'myReports' | 'crew';

const ROUTES: Record<string, RouteName> = {
  '/': 'map',
  '/signin': 'signin',
  '/signup': 'signup',
  '/forgot-password': 'forgotPassword',
  '/reset-password': 'resetPassword',
  '/dispatch': 'dispatch',
  '/akim': 'akim',
  '/report': 'report',
  '/my-reports': 'myReports',
  '/crew': 'crew',
};

/** Screens with an id in the path. */
const PATTERNS: [RegExp, RouteName][] = [[/^\/reports\/[0-9a-f-]{36}$/i, 'reportDetail']];

/** Where a role lands after signing in (when no `next` says otherwise). */
const ROLE_HOMES: Partial<Record<string, string>> = { dispatcher: '/dispatch', akim: '/akim', crew: '/crew' };

export function roleHome(role: string | null | undefined): string {
  return (role && ROLE_HOMES[role]) || '/';
}

/** The account screens: never a `next` target (no bouncing between them). */
const ACCOUNT_ROUTES: ReadonlySet<RouteName> = new Set<RouteName>(['signin', 'signup', 'forgotPassword', 'resetPassword']);

const listeners = new Set<() => void>();

function notify(): void {
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

const snapshot = () => window.location.pathname + window.location.search;

/** `/signin/` and `/signin` are the same screen. */
function normalisePath(pathname: string): string {
  return pathname.length > 1 ? pathname.replace(/\/+$/, '') || '/' : pathname;
}

export function routeOf(pathname: string): RouteName {
  const path = normalisePath(pathname);
  return ROUTES[path] ?? PATTERNS.find(([re]) => re.test(path))?.[1] ?? 'notFound';
}

export interface Location {
  pathname: string;
  search: URLSearchParams;
  route: RouteName;
  /** pathname + search, as typed in the address bar */
  href: string;
}

export function useLocation(): Location {
  const href = useSyncExternalStore(subscribe, snapshot);
  return useMemo(() => {
    const url = new URL(href, window.location.origin);
    return { pathname: url.pathname, search: url.searchParams, route: routeOf(url.pathname), href };
  }, [href]);
}

/**
 * Goes to a same-origin path. Paths the app renders itself change the history entry; anything else
 * (a server page such as /admin/queues) is a normal page load.
 */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  const url = new URL(to, window.location.origin);
  if (url.origin !== window.location.origin) {
    window.location.assign(url.href);
    return;
  }
  const target = url.pathname + url.search + url.hash;
  if (routeOf(url.pathname) === 'notFound') {
    if (options.replace) window.location.replace(target);
    else window.location.assign(target);
    return;
  }
  if (target === snapshot() + window.location.hash) return;
  if (options.replace) window.history.replaceState(null, '', target);
  else window.history.pushState(null, '', target);
  notify();
}

/**
 * The `next` query parameter, if it is a path on this origin (never `//evil.example`,
 * `https://…` or `javascript:`); otherwise `fallback`.
 */
export function safeNextPath(next: string | null | undefined, fallback = '/'): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback;
  try {
    const url = new URL(next, window.location.origin);
    if (url.origin !== window.location.origin) return fallback;
    // Don't bounce between the account screens.
    if (ACCOUNT_ROUTES.has(routeOf(url.pathname))) return fallback;
    return url.pathname + url.search + url.hash;
  } catch {
    return fallback;
  }
}

/** `/signin` (or `/signup`) that brings the user back to `returnTo` afterwards. */
export function authPath(screen: '/signin' | '/signup', returnTo: string | null): string {
  const next = returnTo ? safeNextPath(returnTo, '/') : '/';
  return next === '/' ? screen : `${screen}?next=${encodeURIComponent(next)}`;
}

type LinkProps = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> & { to: string; replace?: boolean };

/** An ordinary <a href> that navigates without a page load (unless opened in a new tab/window). */
export const Link = forwardRef<HTMLAnchorElement, LinkProps>(function Link({ to, replace, onClick, target, ...rest }, ref) {
  const handleClick = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    if (target && target !== '_self') return;
    e.preventDefault();
    navigate(to, { replace });
  };
  return <a ref={ref} href={to} target={target} onClick={handleClick} {...rest} />;
});
