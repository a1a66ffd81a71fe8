import { useMemo } from 'react';
import type { Feature, FeatureCollection, Geometry, Point, Polygon } from 'geojson';
import { problemFrom, NetworkError } from '../api/auth';
import { useAuth } from '../auth/AuthProvider';

/*
 * The staff API as the dispatcher console and the akim dashboard use it. Every call goes through
 * authFetch (Bearer token, one refresh on 401); failures throw the server's problem details
 * (ProblemError) so screens show its sentence and field. A route that this server does not have
 * (404 on a list) reads as `null`: its panel says "not available" instead of breaking the screen.
 */

export interface QueueReport {
  kind: 'to_register' | 'reopened';
  id: string;
  category: string;
  size: string;
  status: string;
  reopenCount: number;
  escalated: boolean;
  createdAt: string;
  lon: number;
  lat: number;
}

export interface OrderSummary {
  id: string;
  title: string;
  status: WorkOrderStatus;
  priority: number;
  scheduledFor: string;
  crewId: string | null;
  location: { lon: number; lat: number };
  estimatedVolumeM3: number;
  reports: number;
  followUpOf: string | null;
}

export interface SlaFlag {
  objectType: 'report' | 'work_order';
  objectId: string;
  kind: 'register' | 'resolve' | 'complete';
  dueAt: string;
  flaggedAt: string;
  summary: string;
  escalated: boolean;
}

export interface DispatchQueue {
  cityId: string;
  toRegister: QueueReport[];
  reopened: QueueReport[];
  followUps: OrderSummary[];
  overdue: SlaFlag[];
  /** CCTV incidents below their camera's auto-confirm confidence, waiting for confirm / dismiss. */
  incidentsToReview?: IncidentItem[];
  offlineCameras?: Camera[];
}

export interface Crew {
  id: string;
  cityId: string;
  name: string;
  capacityM3: number;
  depot: { lon: number; lat: number };
  shiftStart: string;
  shiftEnd: string;
  active: boolean;
}

export type WorkOrderStatus = 'planned' | 'in_progress' | 'done' | 'cancelled';

export interface WorkOrder {
  id: string;
  cityId: string;
  hotspotId: string | null;
  title: string;
  status: WorkOrderStatus;
  priority: number;
  scheduledFor: string;
  crewId: string | null;
  crewName: string | null;
  location: { lon: number; lat: number };
  estimatedVolumeM3: number;
  followUpOf: string | null;
  reports: { id: string; status: string; size: string; category: string; lon: number; lat: number; reopenCount: number }[];
}

export interface CrewDayStop {
  sequence: number;
  kind: 'stop' | 'unload';
  workOrder: OrderSummary | null;
  lon: number;
  lat: number;
  distanceMetres: number;
  loadM3: number;
  navigate: string;
}

export interface CrewDay {
  crew: { id: string; name: string; capacityM3: number; depot: { lon: number; lat: number } };
  date: string;
  totalDistanceMetres: number;
  unloads: number;
  stops: CrewDayStop[];
  done: OrderSummary[];
}

export interface ReportProps {
  id: string;
  status: string;
  category: string;
  categoryName?: unknown;
  size: string;
  description: string | null;
  cityId: string;
  districtId: string;
  outskirts: boolean;
  confirmations: number;
  createdAt: string;
}
export type ReportCollection = FeatureCollection<Point, ReportProps>;

/** A hotspot as staff of its city see it (GET /api/v1/hotspots: hull polygons, highest severity first). */
export interface HotspotProps {
  id: string;
  cityId: string;
  status: 'active' | 'recurring' | 'cleared' | string;
  reportCount: number;
  incidentCount: number;
  confirmationCount: number;
  severity: number;
  volumeM3: number;
  hazardousCount: number;
  centroid: { lon: number; lat: number };
  firstSeenAt: string;
  lastSeenAt: string;
  outskirts: boolean;
  coveredByCamera: boolean;
  recurrences: number;
}
export type HotspotCollection = FeatureCollection<Geometry, HotspotProps>;

export interface Camera {
  id: string;
  cityId: string;
  name: string;
  position: { lon: number; lat: number };
  bearingDeg: number;
  fovDeg: number;
  rangeM: number;
  /** The view sector. */
  view: Polygon | null;
  status: 'active' | 'offline' | 'retired' | string;
  lastHeartbeatAt: string | null;
  offlineSince: string | null;
  precision: { reviewed: number; confirmed: number; ratio: number | null };
}

export interface IncidentItem {
  id: string;
  cameraId: string;
  cameraName: string | null;
  occurredAt: string;
  confidence: number;
  /** dumping, vehicle_unloading, fire, littering */
  class: string;
  position: { lon: number; lat: number } | null;
  status: string;
  snapshotUrl: string | null;
}

/** A recurring outskirts hotspot no camera sees, with where a camera covering it could stand. */
export interface CameraSuggestion {
  rank: number;
  hotspotId: string;
  severity: number;
  recurrences: number;
  status: string;
  reportCount: number;
  incidentCount: number;
  hull: Polygon | null;
  centroid: { lon: number; lat: number };
  suggestion: { lon: number; lat: number; bearingDeg: number; fovDeg: number; rangeM: number; distanceM: number } | null;
}

export interface DistrictFigures {
  districtId: string;
  cityId: string;
  name: { kk: string; ru: string; en: string };
  reports: number;
  open: number;
  medianHoursToRegister: number | null;
  medianHoursToResolve: number | null;
  reopenedShare: number | null;
  averageRating: number | null;
}

/** A forecast line (80/90/95/100 %): its central date and the fast-fill (low) and slow-fill (high) dates. */
export interface Milestone {
  reached: boolean;
  date: string | null;
  low: string | null;
  high: string | null;
}

export interface LandfillProps {
  id: string;
  name: string;
  status: string;
  capacityM3: number;
  cityIds: string[];
  asOf: string;
  usedM3: number;
  fillPercent: number;
  /** The stored forecast; thresholds keyed by line ("80", "90", "95", "100"). */
  forecast: { computedOn: string; rateTonnesPerDay: number; thresholds: Record<string, Milestone> } | null;
  alerts: { id: string; level: string; raisedAt: string; acknowledged: boolean }[];
}
export type LandfillCollection = FeatureCollection<Geometry, LandfillProps>;

export interface LandfillSeries {
  landfill: { id: string; name: string; capacityM3: number };
  from: string;
  to: string;
  /** Per day: the measured (or derived) fill level. */
  points: { day: string; intakeTonnes: number; divertedTonnes: number; usedM3: number; fillPercent: number }[];
  forecast: {
    asOf: string;
    rateTonnesPerDay: number;
    thresholds: Record<string, Milestone>;
    /** Weekly from today: central, slow-fill (low) and fast-fill (high) levels. */
    points: { day: string; fillPercent: number; lowPercent: number; highPercent: number }[];
  };
}

export interface LandfillAlert {
  id: string;
  landfillId: string;
  landfillName: string;
  level: 'warning' | 'critical' | 'emergency' | 'full_within_year' | string;
  fillPercent: number;
  fullOn: string | null;
  raisedAt: string;
  acknowledgedAt: string | null;
  acknowledgedByName: string | null;
  note: string | null;
}

export type TransitionAction = 'register' | 'reject' | 'duplicate';

function qs(params: Record<string, string | number | boolean | undefined | null>): string {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') sp.set(k, String(v));
  const s = sp.toString();
  return s ? `?${s}` : '';
}

type Fetcher = (input: string, init?: RequestInit) => Promise<Response>;

async function call<T>(f: Fetcher, method: string, path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await f(path, {
      method,
      headers: { Accept: 'application/json, application/geo+json, application/problem+json', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new NetworkError(path);
  }
  if (!res.ok) throw await problemFrom(res);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

/** A list from a module this server may not have yet: null on 404/405. */
async function optional<T>(f: Fetcher, path: string): Promise<T | null> {
  try {
    return await call<T>(f, 'GET', path);
  } catch (err) {
    const status = (err as { status?: number }).status;
    if (status === 404 || status === 405) return null;
    throw err;
  }
}

export function makeStaffApi(f: Fetcher) {
  return {
    queue: (cityId?: string) => call<DispatchQueue>(f, 'GET', `/api/v1/dispatch/queue${qs({ cityId })}`),
    overdue: (cityId?: string) => call<SlaFlag[]>(f, 'GET', `/api/v1/dispatch/overdue${qs({ cityId })}`),
    crews: (cityId?: string) => call<Crew[]>(f, 'GET', `/api/v1/crews${qs({ cityId, active: true })}`),
    crewDay: (crewId: string, date?: string) => call<CrewDay>(f, 'GET', `/api/v1/crews/day${qs({ crewId, date })}`),
    workOrders: (q: { cityId?: string; status?: string; date?: string; crewId?: string }) =>
      call<WorkOrder[]>(f, 'GET', `/api/v1/work-orders${qs({ ...q, limit: 200 })}`),
    createWorkOrder: (body: { reportIds?: string[]; hotspotId?: string; crewId?: string; title?: string }) => call<WorkOrder>(f, 'POST', '/api/v1/work-orders', body),
    assign: (id: string, crewId: string) => call<WorkOrder>(f, 'POST', `/api/v1/work-orders/${id}/assign`, { crewId }),
    cancelWorkOrder: (id: string, reason: string) => call<WorkOrder>(f, 'POST', `/api/v1/work-orders/${id}/cancel`, { reason }),
    reports: (q: { cityId?: string; status?: string; category?: string; districtId?: string; from?: string; to?: string }) =>
      call<ReportCollection>(f, 'GET', `/api/v1/reports${qs({ ...q, limit: 500 })}`),
    transition: (id: string, action: TransitionAction, extra: { reason?: string; duplicateOf?: string } = {}) =>
      call<unknown>(f, 'POST', `/api/v1/reports/${id}/transitions`, { action, ...extra }),
    // ---- modules landing separately (hotspots, CCTV, landfills): null when the server has none ----
    hotspots: (cityId?: string) => optional<HotspotCollection>(f, `/api/v1/hotspots${qs({ cityId, limit: 200 })}`),
    cameraSuggestions: (cityId?: string) => optional<{ suggestions: CameraSuggestion[] }>(f, `/api/v1/hotspots/camera-suggestions${qs({ cityId })}`),
    /** GeoJSON points with the camera in the properties; flattened to the shape the queue's offline list has. */
    cameras: async (cityId?: string): Promise<Camera[] | null> => {
      const fc = await optional<FeatureCollection<Point, Omit<Camera, 'position'>>>(f, `/api/v1/cameras${qs({ cityId })}`);
      return fc && fc.features.map((x) => ({ ...x.properties, position: { lon: x.geometry.coordinates[0], lat: x.geometry.coordinates[1] } }));
    },
    confirmIncident: (id: string) => call<unknown>(f, 'POST', `/api/v1/incidents/${id}/confirm`, {}),
    dismissIncident: (id: string, reason: string) => call<unknown>(f, 'POST', `/api/v1/incidents/${id}/dismiss`, { reason }),
    districtStats: (cityId?: string) => call<DistrictFigures[]>(f, 'GET', `/api/v1/stats/districts${qs({ cityId })}`),
    /** The landfills of the caller's cities (a landfill may serve several). */
    landfills: (cityId?: string) => optional<LandfillCollection>(f, `/api/v1/landfills${qs({ cityId })}`),
    landfillSeries: (id: string) => call<LandfillSeries>(f, 'GET', `/api/v1/landfills/${id}/series`),
    landfillAlerts: (cityId?: string) => optional<LandfillAlert[]>(f, `/api/v1/landfill-alerts${qs({ cityId, state: 'all', limit: 200 })}`),
    acknowledgeAlert: (id: string, note: string) => call<LandfillAlert>(f, 'POST', `/api/v1/landfill-alerts/${id}/acknowledge`, { note }),
    /** A media or snapshot URL fetched with the token, as an object URL for <img>. */
    blobUrl: async (path: string) => {
      const res = await f(path);
      if (!res.ok) throw await problemFrom(res);
      return URL.createObjectURL(await res.blob());
    },
  };
}

export type StaffApi = ReturnType<typeof makeStaffApi>;

export function useStaffApi(): StaffApi {
  const { authFetch } = useAuth();
  return useMemo(() => makeStaffApi(authFetch), [authFetch]);
}

export type AnyFeature = Feature<Geometry, Record<string, unknown>>;
