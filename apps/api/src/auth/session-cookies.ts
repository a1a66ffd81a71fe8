import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IssuedSession } from '../../../../libs/accounts/src/index.js';
import type { AppConfig } from '../../../../libs/core/src/index.js';

export const REFRESH_COOKIE = 'taza_refresh';
export const REFRESH_COOKIE_PATH = '/api/v1/auth';
/** An admin's access token for the browser pages outside the SPA (the queues dashboard). */
export const ADMIN_COOKIE = 'taza_admin';
export const ADMIN_COOKIE_PATH = '/admin';

type CookieReply = FastifyReply & {
  setCookie(name: string, value: string, options: Record<string, unknown>): FastifyReply;
  clearCookie(name: string, options: Record<string, unknown>): FastifyReply;
};

export function setSessionCookies(reply: FastifyReply, session: IssuedSession, config: AppConfig): void {
  const r = reply as CookieReply;
  r.setCookie(REFRESH_COOKIE, session.refreshToken, {
    path: REFRESH_COOKIE_PATH,
    httpOnly: true,
    secure: config.COOKIE_SECURE,
    sameSite: 'lax',
    expires: session.refreshExpiresAt,
  });
  if (session.user.role === 'admin') {
    r.setCookie(ADMIN_COOKIE, session.accessToken, {
      path: ADMIN_COOKIE_PATH,
      httpOnly: true,
      secure: config.COOKIE_SECURE,
      sameSite: 'strict',
      maxAge: session.expiresIn,
    });
  }
}

export function clearSessionCookies(reply: FastifyReply, config: AppConfig): void {
  const r = reply as CookieReply;
  r.clearCookie(REFRESH_COOKIE, { path: REFRESH_COOKIE_PATH, httpOnly: true, secure: config.COOKIE_SECURE, sameSite: 'lax' });
  r.clearCookie(ADMIN_COOKIE, { path: ADMIN_COOKIE_PATH, httpOnly: true, secure: config.COOKIE_SECURE, sameSite: 'strict' });
}

export function cookie(request: FastifyRequest, name: string): string | null {
  const value = (request as FastifyRequest & { cookies?: Record<string, string | undefined> }).cookies?.[name];
  return value || null;
}
