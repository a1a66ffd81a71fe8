/** `crew` signs in on a sanitation crew's phone: it sees and works its own crew's orders, nothing else. */
export type Role = 'resident' | 'dispatcher' | 'akim' | 'admin' | 'crew';
export const ROLES: readonly Role[] = ['resident', 'dispatcher', 'akim', 'admin', 'crew'];
export const STAFF_ROLES: readonly Role[] = ['dispatcher', 'akim', 'admin'];

/** A signed-in person. */
export interface UserPrincipal {
  kind: 'user';
  userId: string;
  sessionId: string;
  role: Role;
  /** Dispatcher/akim city; null for residents, admins and a national akim. */
  cityId: string | null;
  /** A dispatcher limited to some districts; empty = the whole city. */
  districtIds: string[];
}

/** Machine callers (Open311 clients, cameras) join this union with their issues. */
export type Principal = UserPrincipal;

/** May this principal read things of this city? Admins and national akims see every city. */
export function canReadCity(p: Principal | null, cityId: string): boolean {
  if (!p) return false;
  if (p.role === 'admin') return true;
  if (p.role === 'akim') return p.cityId === null || p.cityId === cityId;
  if (p.role === 'dispatcher') return p.cityId === cityId;
  return false;
}

/** May this principal manage (change) things of this city and, when given, district? */
export function canManageCity(p: Principal | null, cityId: string, districtId?: string | null): boolean {
  if (!p || p.role !== 'dispatcher' || p.cityId !== cityId) return false;
  if (p.districtIds.length === 0 || !districtId) return true;
  return p.districtIds.includes(districtId);
}

/** The cities a principal's reads are limited to; null = all cities. */
export function readableCities(p: Principal): string[] | null {
  if (p.role === 'admin') return null;
  if (p.role === 'akim' && p.cityId === null) return null;
  return p.cityId ? [p.cityId] : [];
}

/** The cities a principal reads, narrowed to `cityId` when one is asked for (another city's id reads nothing). */
export function readableCitiesOf(p: Principal, cityId: string | undefined | null): string[] | null {
  const readable = readableCities(p);
  if (!cityId) return readable;
  return readable === null || readable.includes(cityId) ? [cityId] : [];
}
