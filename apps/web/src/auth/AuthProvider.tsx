import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import * as api from '../api/auth';
import type { Session, SignUpInput, User } from '../api/auth';

/**
 * The signed-in state of the web app.
 *
 * - The access token is kept in memory only (a ref here), never in localStorage/sessionStorage:
 *   a reload forgets it and the session comes back from the httpOnly refresh cookie
 *   (POST /api/v1/auth/refresh on start).
 * - The server rotates refresh tokens and ends the whole session when one is used twice, so
 *   refreshes are strictly one at a time: one in flight per page (shared promise) and, through
 *   the Web Locks API, one at a time across tabs.
 */

export type AuthStatus = 'restoring' | 'signedIn' | 'signedOut';

export interface AuthValue {
  status: AuthStatus;
  user: User | null;
  /** Throws api.ProblemError / api.NetworkError for the form to show. */
  signIn: (login: string, password: string) => Promise<User>;
  signUp: (input: SignUpInput) => Promise<User>;
  signOut: () => Promise<void>;
  /** fetch() with the Bearer token; on a 401 it refreshes the session once and retries. */
  authFetch: (input: string, init?: RequestInit) => Promise<Response>;
}

const AuthContext = createContext<AuthValue | null>(null);

/** Refresh this long before the access token expires. */
const REFRESH_LEAD_SECONDS = 60;
/** After a failed (network/5xx) background refresh. */
const RETRY_SECONDS = 30;
const LOCK_NAME = 'taza-map.auth-refresh';
const CHANNEL_NAME = 'taza-map.auth';

type ChannelMessage = { type: 'signed-in' } | { type: 'signed-out' };

let inflightRefresh: Promise<Session | null> | null = null;

/** One refresh at a time, per page and (where supported) across the tabs of this origin. */
function refreshOnce(): Promise<Session | null> {
  if (!inflightRefresh) {
    const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
    const run: Promise<Session | null> = locks?.request
      ? // (the lock is held until the refresh has settled; `then` unwraps the nested promise type)
        locks.request(LOCK_NAME, () => api.refresh()).then((session) => session)
      : api.refresh();
    const shared = run.finally(() => {
      if (inflightRefresh === shared) inflightRefresh = null;
    });
    inflightRefresh = shared;
  }
  return inflightRefresh;
}

interface Token {
  value: string;
  /** ms since epoch */
  expiresAt: number;
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<{ status: AuthStatus; user: User | null }>({ status: 'restoring', user: null });
  const tokenRef = useRef<Token | null>(null);
  const timerRef = useRef<number | undefined>(undefined);
  /** Bumped by every sign-in/sign-out, so a refresh answer that arrives afterwards is ignored. */
  const generationRef = useRef(0);
  const channelRef = useRef<BroadcastChannel | null>(null);
  const restoredRef = useRef<Promise<void> | null>(null);
  const refreshRef = useRef<() => Promise<boolean>>(async () => false);

  const clearTimer = () => {
    window.clearTimeout(timerRef.current);
    timerRef.current = undefined;
  };

  const schedule = useCallback((seconds: number) => {
    clearTimer();
    timerRef.current = window.setTimeout(() => void refreshRef.current(), Math.max(1, seconds) * 1000);
  }, []);

  const applySession = useCallback(
    (session: Session) => {
      const lifetime = Math.max(0, session.expiresIn);
      tokenRef.current = { value: session.accessToken, expiresAt: Date.now() + lifetime * 1000 };
      setState({ status: 'signedIn', user: session.user });
      // ~60 s before expiry; for very short lifetimes, half-way through.
      schedule(lifetime - Math.min(REFRESH_LEAD_SECONDS, lifetime / 2));
    },
    [schedule],
  );

  const clearSession = useCallback(() => {
    tokenRef.current = null;
    clearTimer();
    setState({ status: 'signedOut', user: null });
  }, []);

  /** true when there is a (new) session afterwards. */
  const refreshSession = useCallback(async (): Promise<boolean> => {
    const generation = generationRef.current;
    try {
      const session = await refreshOnce();
      if (generation !== generationRef.current) return tokenRef.current !== null;
      if (session) {
        applySession(session);
        return true;
      }
      clearSession();
      return false;
    } catch (err) {
      if (generation !== generationRef.current) return tokenRef.current !== null;
      if (err instanceof api.ProblemError && (err.status === 401 || err.status === 403)) {
        clearSession();
        return false;
      }
      // Offline or a server hiccup: keep what we have while the access token is still good, try again later.
      console.warn('[taza-map] session refresh failed', err);
      const token = tokenRef.current;
      if (token && token.expiresAt > Date.now()) {
        schedule(RETRY_SECONDS);
      } else {
        clearSession();
      }
      return false;
    }
  }, [applySession, clearSession, schedule]);
  refreshRef.current = refreshSession;

  // Restore the session from the refresh cookie on start.
  useEffect(() => {
    // StrictMode runs effects twice in development: refreshOnce() shares the single request.
    restoredRef.current ??= refreshSession().then(() => undefined);
  }, [refreshSession]);

  // Other tabs: follow their sign-in / sign-out.
  useEffect(() => {
    if (typeof BroadcastChannel === 'undefined') return;
    const channel = new BroadcastChannel(CHANNEL_NAME);
    channelRef.current = channel;
    channel.onmessage = (e: MessageEvent<ChannelMessage>) => {
      if (e.data?.type === 'signed-out') {
        generationRef.current += 1;
        clearSession();
      } else if (e.data?.type === 'signed-in') {
        generationRef.current += 1;
        void refreshSession();
      }
    };
    return () => {
      channel.close();
      if (channelRef.current === channel) channelRef.current = null;
    };
  }, [clearSession, refreshSession]);

  // A tab that slept through its refresh timer catches up when it is shown again.
  useEffect(() => {
    const onVisible = () => {
      const token = tokenRef.current;
      if (document.visibilityState === 'visible' && token && token.expiresAt - Date.now() < REFRESH_LEAD_SECONDS * 1000) {
        void refreshSession();
      }
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, [refreshSession]);

  useEffect(() => () => clearTimer(), []);

  const broadcast = (message: ChannelMessage) => {
    try {
      channelRef.current?.postMessage(message);
    } catch {
      // channel closed
    }
  };

  const signIn = useCallback(
    async (loginId: string, password: string) => {
      // A restore in flight would otherwise set its (older) cookie after ours.
      await inflightRefresh?.catch(() => null);
      const session = await api.login(loginId, password);
      generationRef.current += 1;
      applySession(session);
      broadcast({ type: 'signed-in' });
      return session.user;
    },
    [applySession],
  );

  const signUp = useCallback(
    async (input: SignUpInput) => {
      await inflightRefresh?.catch(() => null);
      const session = await api.signup(input);
      generationRef.current += 1;
      applySession(session);
      broadcast({ type: 'signed-in' });
      return session.user;
    },
    [applySession],
  );

  const signOut = useCallback(async () => {
    generationRef.current += 1;
    const token = tokenRef.current?.value ?? null;
    clearSession();
    // Let a refresh in flight finish first, so the cookie we clear is the current one.
    await inflightRefresh?.catch(() => null);
    await api.logout(token);
    broadcast({ type: 'signed-out' });
  }, [clearSession]);

  const authFetch = useCallback(
    async (input: string, init: RequestInit = {}) => {
      if (restoredRef.current) await restoredRef.current;
      let token = tokenRef.current;
      if (token && token.expiresAt - Date.now() < 5000) {
        await refreshSession();
        token = tokenRef.current;
      }
      const send = (t: Token | null) => {
        const headers = new Headers(init.headers);
        if (t) headers.set('Authorization', `Bearer ${t.value}`);
        return fetch(input, { ...init, headers, credentials: 'same-origin' });
      };
      const res = await send(token);
      if (res.status !== 401 || !token) return res;
      // Someone else may have refreshed meanwhile; otherwise refresh now. Either way, retry once.
      if (tokenRef.current && tokenRef.current.value !== token.value) return send(tokenRef.current);
      if (!(await refreshSession()) || !tokenRef.current) return res;
      return send(tokenRef.current);
    },
    [refreshSession],
  );

  const value = useMemo<AuthValue>(
    () => ({ status: state.status, user: state.user, signIn, signUp, signOut, authFetch }),
    [state, signIn, signUp, signOut, authFetch],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthValue {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth must be used inside <AuthProvider>');
  return ctx;
}

/** What the header shows for a user: display name, else email, else phone. */
export function userLabel(user: User): string {
  return user.displayName?.trim() || user.email || user.phone || user.id;
}
