/**
 * The accounts API (same origin). The refresh token lives in an httpOnly cookie scoped to
 * /api/v1/auth, so every call here sends cookies (`credentials: 'same-origin'`).
 */

export type Role = 'resident' | 'dispatcher' | 'akim' | 'admin' | 'crew';

export const ROLES: readonly Role[] = ['resident', 'dispatcher', 'akim', 'admin', 'crew'];

export interface User {
  id: string;
  email: string | null;
  phone: string | null;
  displayName: string | null;
  role: Role;
  cityId: string | null;
}

export interface Session {
  accessToken: string;
  /** seconds */
  expiresIn: number;
  user: User;
}

export interface FieldProblem {
  field: string;
  message: string;
}

/** An RFC 9457 problem-details answer from the server. */
export class ProblemError extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail: string;
  readonly code: string | null;
  readonly errors: FieldProblem[];
  /** From the Retry-After header (429/503), in seconds. */
  readonly retryAfterSeconds: number | null;

  constructor(init: {
    status: number;
    title: string;
    detail: string;
    code: string | null;
    errors: FieldProblem[];
    retryAfterSeconds: number | null;
  }) {
    super(init.detail || init.title || `HTTP ${init.status}`);
    this.name = 'ProblemError';
    this.status = init.status;
    this.title = init.title;
    this.detail = init.detail;
    this.code = init.code;
    this.errors = init.errors;
    this.retryAfterSeconds = init.retryAfterSeconds;
  }
}

/** The server could not be reached (offline, DNS, connection reset…). */
export class NetworkError extends Error {
  constructor(path: string) {
    super(`Network error while calling ${path}`);
    this.name = 'NetworkError';
  }
}

/** Retry-After is either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return null;
  return Math.max(0, Math.round((date - Date.now()) / 1000));
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

export async function problemFrom(res: Response): Promise<ProblemError> {
  let body: Record<string, unknown> = {};
  try {
    const text = await res.text();
    const parsed: unknown = text ? JSON.parse(text) : {};
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
  } catch {
    // not JSON (a proxy's HTML error page, say): status alone
  }
  const errors = Array.isArray(body.errors)
    ? (body.errors as unknown[]).flatMap((e) => {
        const p = e as Partial<FieldProblem> | null;
        return p && typeof p.field === 'string' && typeof p.message === 'string' ? [{ field: p.field, message: p.message }] : [];
      })
    : [];
  return new ProblemError({
    status: res.status,
    title: str(body.title) ?? res.statusText,
    detail: str(body.detail) ?? '',
    code: str(body.code),
    errors,
    retryAfterSeconds: parseRetryAfter(res.headers.get('Retry-After')),
  });
}

function isSession(v: unknown): v is Session {
  const s = v as Partial<Session> | null;
  return (
    !!s &&
    typeof s.accessToken === 'string' &&
    s.accessToken.length > 0 &&
    typeof s.expiresIn === 'number' &&
    !!s.user &&
    typeof s.user === 'object' &&
    typeof (s.user as Partial<User>).id === 'string'
  );
}

async function post(path: string, body: unknown, accessToken?: string): Promise<Response> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json, application/problem+json' };
  if (accessToken) headers.Authorization = `Bearer ${accessToken}`;
  try {
    return await fetch(path, { method: 'POST', headers, body: JSON.stringify(body), credentials: 'same-origin', cache: 'no-store' });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new NetworkError(path);
  }
}

async function sessionFrom(res: Response): Promise<Session> {
  if (!res.ok) throw await problemFrom(res);
  const body: unknown = await res.json().catch(() => null);
  if (!isSession(body)) {
    throw new ProblemError({ status: res.status, title: 'Bad response', detail: '', code: null, errors: [], retryAfterSeconds: null });
  }
  return body;
}

export async function login(loginId: string, password: string): Promise<Session> {
  return sessionFrom(await post('/api/v1/auth/login', { login: loginId, password }));
}

export interface SignUpInput {
  email?: string;
  phone?: string;
  password: string;
  displayName?: string;
}

export async function signup(input: SignUpInput): Promise<Session> {
  return sessionFrom(await post('/api/v1/auth/signup', input));
}

/** A new session from the refresh cookie; null when there is no valid session (401). */
export async function refresh(): Promise<Session | null> {
  const res = await post('/api/v1/auth/refresh', {});
  if (res.status === 401) return null;
  return sessionFrom(res);
}

/** Ends the session on the server and clears the cookie. Errors are ignored: signing out always works locally. */
export async function logout(accessToken: string | null): Promise<void> {
  try {
    await post('/api/v1/auth/logout', {}, accessToken ?? undefined);
  } catch {
    // offline: the refresh cookie stays until it expires; the local state is cleared anyway
  }
}

/**
 * Asks the server to email a one-time reset link (valid 30 minutes) to the account. The answer (202)
 * is the same whether or not the account exists; throws ProblemError for 400/429 and the like.
 */
export async function requestPasswordReset(loginId: string): Promise<void> {
  const res = await post('/api/v1/auth/password-reset', { login: loginId });
  if (!res.ok) throw await problemFrom(res);
}

/**
 * Sets the new password with the emailed token (204). Every session of the account ends.
 * A 400 names the field at fault: `newPassword` (weak: the link stays usable) or `token` (unknown, used or expired).
 */
export async function confirmPasswordReset(token: string, newPassword: string): Promise<void> {
  const res = await post('/api/v1/auth/password-reset/confirm', { token, newPassword });
  if (!res.ok) throw await problemFrom(res);
}
