/**
 * A crew's day as a route: start at the depot, visit every stop, go back to unload whenever the next
 * stop's volume would overfill the vehicle, and end at the depot. No road network is available
 * offline, so distances are great-circle metres. Small days (up to EXACT_LIMIT stops) are solved
 * exactly; larger ones start from nearest-neighbour and improve with 2-opt and or-opt moves. The
 * result is never worse than visiting the stops in the order given.
 */
export interface RoutePoint {
  lon: number;
  lat: number;
}

export interface RouteStop extends RoutePoint {
  id: string;
  /** Estimated volume to load here, m³. */
  volume: number;
}

export interface RouteLeg {
  kind: 'stop' | 'unload';
  stopId: string | null;
  lon: number;
  lat: number;
  /** Metres from the previous point. */
  distance: number;
  /** Load on the vehicle after this point, m³. */
  load: number;
}

export interface PlannedRoute {
  order: string[];
  legs: RouteLeg[];
  totalDistance: number;
  unloads: number;
}

export const EXACT_LIMIT = 8;
const EARTH_RADIUS_M = 6_371_008.8;

export function haversineMetres(a: RoutePoint, b: RoutePoint): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * Walks a visiting order: the vehicle unloads at `unloadAt` (the landfill, or the depot) before a stop
 * that would overfill it. A stop bigger than the whole vehicle is taken alone (several trips in reality;
 * the estimate is rough either way).
 */
export function walkRoute(depot: RoutePoint, stops: RouteStop[], capacity: number, unloadAt: RoutePoint = depot): PlannedRoute {
  const legs: RouteLeg[] = [];
  let at: RoutePoint = depot;
  let load = 0;
  let total = 0;
  let unloads = 0;
  for (const stop of stops) {
    if (load > 0 && load + stop.volume > capacity) {
      const d = haversineMetres(at, unloadAt);
      total += d;
      legs.push({ kind: 'unload', stopId: null, lon: unloadAt.lon, lat: unloadAt.lat, distance: d, load: 0 });
      at = unloadAt;
      load = 0;
      unloads++;
    }
    const d = haversineMetres(at, stop);
    total += d;
    load += stop.volume;
    legs.push({ kind: 'stop', stopId: stop.id, lon: stop.lon, lat: stop.lat, distance: d, load });
    at = stop;
  }
  if (stops.length) {
    // The day ends by unloading what is on board and returning to the depot.
    if (load > 0 && (unloadAt.lon !== depot.lon || unloadAt.lat !== depot.lat)) {
      const d = haversineMetres(at, unloadAt);
      total += d;
      legs.push({ kind: 'unload', stopId: null, lon: unloadAt.lon, lat: unloadAt.lat, distance: d, load: 0 });
      at = unloadAt;
      unloads++;
    }
    const d = haversineMetres(at, depot);
    total += d;
    legs.push({ kind: 'unload', stopId: null, lon: depot.lon, lat: depot.lat, distance: d, load: 0 });
  }
  return { order: stops.map((s) => s.id), legs, totalDistance: total, unloads };
}

export function planRoute(depot: RoutePoint, stops: RouteStop[], capacity: number, unloadAt: RoutePoint = depot): PlannedRoute {
  if (!(capacity > 0)) throw new RangeError('capacity must be positive');
  const cost = (order: RouteStop[]) => walkRoute(depot, order, capacity, unloadAt).totalDistance;
  let best = stops.slice();
  let bestCost = cost(best);
  const consider = (candidate: RouteStop[]) => {
    const c = cost(candidate);
    if (c < bestCost - 1e-9) {
      best = candidate;
      bestCost = c;
      return true;
    }
    return false;
  };
  if (stops.length <= EXACT_LIMIT) {
    for (const perm of permutations(stops)) consider(perm);
    return walkRoute(depot, best, capacity, unloadAt);
  }
  consider(nearestNeighbour(depot, stops));
  // 2-opt (reverse a segment) and or-opt (move a stop elsewhere) until neither helps.
  for (let improved = true; improved; ) {
    improved = false;
    for (let i = 0; i < best.length - 1; i++) {
      for (let j = i + 1; j < best.length; j++) {
        if (consider([...best.slice(0, i), ...best.slice(i, j + 1).reverse(), ...best.slice(j + 1)])) improved = true;
      }
    }
    for (let i = 0; i < best.length; i++) {
      for (let j = 0; j < best.length; j++) {
        if (i === j) continue;
        const rest = best.slice();
        const [moved] = rest.splice(i, 1);
        rest.splice(j, 0, moved);
        if (consider(rest)) improved = true;
      }
    }
  }
  return walkRoute(depot, best, capacity, unloadAt);
}

function nearestNeighbour(depot: RoutePoint, stops: RouteStop[]): RouteStop[] {
  const left = stops.slice();
  const order: RouteStop[] = [];
  let at: RoutePoint = depot;
  while (left.length) {
    let k = 0;
    for (let i = 1; i < left.length; i++) if (haversineMetres(at, left[i]) < haversineMetres(at, left[k])) k = i;
    at = left[k];
    order.push(...left.splice(k, 1));
  }
  return order;
}

function* permutations<T>(items: T[]): Generator<T[]> {
  if (items.length <= 1) {
    yield items.slice();
    return;
  }
  for (let i = 0; i < items.length; i++) {
    const rest = [...items.slice(0, i), ...items.slice(i + 1)];
    for (const p of permutations(rest)) yield [items[i], ...p];
  }
}
