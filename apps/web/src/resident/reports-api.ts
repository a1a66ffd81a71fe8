import { NetworkError, problemFrom } from '../api/auth';
import type { LocalizedName } from '../api/types';

/** The report screens' calls. `send` is the AuthProvider's authFetch: it adds the Bearer token when signed in. */
export type Send = (input: string, init?: RequestInit) => Promise<Response>;

export interface Category {
  code: string;
  name: LocalizedName;
  hazardous: boolean;
}

export interface MediaView {
  id: string;
  kind: 'photo' | 'video';
  stage: 'before' | 'after';
  url: string;
  thumbnailUrl: string | null;
}

export interface ReportView {
  id: string;
  status: string;
  category: { code: string; name: string };
  size: string;
  wasteTypes: string[];
  description: string;
  location: { lon: number; lat: number };
  confirmations: number;
  createdAt: string;
  resolvedAt: string | null;
  resolutionNote: string | null;
  rejectionReason: string | null;
  rating: number | null;
  media: MediaView[];
  /** Present only for the reporter (and staff): the private fields. */
  ratingComment?: string | null;
  contactEmail?: string | null;
}

export interface NearbyReport extends ReportView {
  distanceMetres: number;
}

export interface HistoryEntry {
  event: string;
  from: string | null;
  to: string | null;
  actorRole: string;
  note: string | null;
  at: string;
}

export interface CreatedReport {
  reportId: string;
  joined: boolean;
  status: string;
  trackingToken?: string;
}

export interface ReportFeature {
  id: string;
  geometry: { type: 'Point'; coordinates: [number, number] };
  properties: { id: string; status: string; category: string; size: string; description: string; createdAt: string };
}

const JSON_ACCEPT = 'application/json, application/problem+json';

/** Sends and returns the JSON body; a problem-details answer becomes a ProblemError. */
export async function call<T>(send: Send, path: string, init: RequestInit = {}): Promise<T> {
  let res: Response;
  try {
    const headers = new Headers(init.headers);
    if (!headers.has('Accept')) headers.set('Accept', JSON_ACCEPT);
    res = await send(path, { ...init, headers });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new NetworkError(path);
  }
  if (!res.ok) throw await problemFrom(res);
  return (await res.json()) as T;
}

const TOKENS_KEY = 'tazaMap.trackingTokens';

/** Tracking tokens of anonymous reports sent from this browser, by report id. */
export function rememberedToken(id: string): string | null {
  try {
    const all = JSON.parse(window.localStorage.getItem(TOKENS_KEY) ?? '{}') as Record<string, string>;
    return typeof all[id] === 'string' ? all[id] : null;
  } catch {
    return null;
  }
}

export function rememberToken(id: string, token: string): void {
  try {
    const all = JSON.parse(window.localStorage.getItem(TOKENS_KEY) ?? '{}') as Record<string, string>;
    all[id] = token;
    window.localStorage.setItem(TOKENS_KEY, JSON.stringify(all));
  } catch {
    // not remembered: the tracking link still works
  }
}

const tokenHeaders = (token: string | null): HeadersInit => (token ? { 'X-Tracking-Token': token } : {});

export const reportsApi = {
  categories: (send: Send) => call<Category[]>(send, '/api/v1/categories'),
  nearby: (send: Send, lon: number, lat: number, signal?: AbortSignal) =>
    call<NearbyReport[]>(send, `/api/v1/reports/nearby?lon=${lon.toFixed(6)}&lat=${lat.toFixed(6)}`, { signal }),
  create: (send: Send, form: FormData, idempotencyKey: string) =>
    call<CreatedReport>(send, '/api/v1/reports', { method: 'POST', body: form, headers: { 'Idempotency-Key': idempotencyKey } }),
  get: (send: Send, id: string, token: string | null) => call<ReportView>(send, `/api/v1/reports/${id}`, { headers: tokenHeaders(token) }),
  history: (send: Send, id: string, token: string | null) =>
    call<HistoryEntry[]>(send, `/api/v1/reports/${id}/history`, { headers: tokenHeaders(token) }),
  rate: (send: Send, id: string, token: string | null, rating: number, comment: string) =>
    call<ReportView>(send, `/api/v1/reports/${id}/rating`, {
      method: 'POST',
      headers: { ...tokenHeaders(token), 'Content-Type': 'application/json' },
      body: JSON.stringify(comment.trim() ? { rating, comment: comment.trim() } : { rating }),
    }),
  mine: (send: Send) => call<{ features: ReportFeature[] }>(send, '/api/v1/me/reports?limit=100'),
};
