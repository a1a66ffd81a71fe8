import type { CityCollection, DistrictCollection } from './types';

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

async function getFeatureCollection<T>(path: string, signal?: AbortSignal): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { headers: { Accept: 'application/geo+json, application/json' }, signal });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(`Network error while fetching ${path}`, null);
  }
  if (!res.ok) throw new ApiError(`GET ${path} failed with HTTP ${res.status}`, res.status);
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    throw new ApiError(`GET ${path} returned invalid JSON`, res.status);
  }
  const fc = body as { type?: unknown; features?: unknown };
  if (!fc || fc.type !== 'FeatureCollection' || !Array.isArray(fc.features)) {
    throw new ApiError(`GET ${path} did not return a GeoJSON FeatureCollection`, res.status);
  }
  return body as T;
}

export function fetchCities(signal?: AbortSignal): Promise<CityCollection> {
  return getFeatureCollection<CityCollection>('/api/v1/cities', signal);
}

export function fetchDistricts(cityId?: string, signal?: AbortSignal): Promise<DistrictCollection> {
  const qs = cityId ? `?cityId=${encodeURIComponent(cityId)}` : '';
  return getFeatureCollection<DistrictCollection>(`/api/v1/districts${qs}`, signal);
}
