import { EXACT_LIMIT, haversineMetres, planRoute, walkRoute, type RouteStop } from './route-planner.js';

const depot = { lon: 76.9, lat: 43.2 };
/** A point `east` and `north` metres from the depot (small distances, flat enough). */
function at(id: string, east: number, north: number, volume = 1): RouteStop {
  return { id, volume, lon: depot.lon + east / (111_320 * Math.cos((depot.lat * Math.PI) / 180)), lat: depot.lat + north / 110_574 };
}
/** Deterministic pseudo-random points. */
function scatter(n: number, seed: number): RouteStop[] {
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  return Array.from({ length: n }, (_, i) => at(`s${i}`, (rnd() - 0.5) * 10_000, (rnd() - 0.5) * 10_000, 0.5 + rnd() * 3));
}

describe('route planner', () => {
  it('measures great-circle metres', () => {
    expect(haversineMetres({ lon: 0, lat: 0 }, { lon: 0, lat: 1 })).toBeCloseTo(111_195, -1);
  });

  it('visits stops on a line out and back, not zig-zag', () => {
    const stops = [at('c', 3000, 0), at('a', 1000, 0), at('d', 4000, 0), at('b', 2000, 0)];
    const route = planRoute(depot, stops, 100);
    expect(route.order).toEqual(['a', 'b', 'c', 'd']);
    expect(Math.abs(route.totalDistance - 8000) / 8000).toBeLessThan(0.005); // the flat offsets are approximate
    expect(route.unloads).toBe(0);
  });

  it('goes round a square in a loop (the optimum)', () => {
    const stops = [at('ne', 1000, 1000), at('sw', 0, 1), at('se', 1000, 0), at('nw', 0, 1000)];
    const route = planRoute(depot, stops, 100);
    expect(Math.abs(route.totalDistance - 4000) / 4000).toBeLessThan(0.005); // the flat offsets are approximate
    // Either way round the loop, leaving from or arriving at the corner by the depot.
    const loops = [['sw', 'se', 'ne', 'nw'], ['sw', 'nw', 'ne', 'se']];
    expect([...loops, ...loops.map((l) => [...l].reverse())]).toContainEqual(route.order);
  });

  it('returns to unload when the vehicle is full, and plans around it', () => {
    // Two far pairs; capacity 2 m³ holds one pair: the best day is depot-pair-depot-pair-depot.
    const stops = [at('e1', 5000, 0), at('w1', -5000, 0), at('e2', 5100, 0), at('w2', -5100, 0)];
    const route = planRoute(depot, stops, 2);
    expect(route.unloads).toBe(1);
    expect(Math.abs(route.totalDistance - 20_400) / 20_400).toBeLessThan(0.005); // the flat offsets are approximate
    const firstTrip = route.order.slice(0, 2).map((id) => id[0]);
    expect(firstTrip[0]).toBe(firstTrip[1]);
    const loads = route.legs.filter((l) => l.kind === 'stop').map((l) => l.load);
    expect(Math.max(...loads)).toBeLessThanOrEqual(2);
  });

  it('unloads at the landfill when one is given and ends at the depot', () => {
    const landfill = { lon: depot.lon + 0.05, lat: depot.lat };
    const route = walkRoute(depot, [at('a', 1000, 0, 2), at('b', 2000, 0, 2)], 3, landfill);
    expect(route.legs.map((l) => l.kind)).toEqual(['stop', 'unload', 'stop', 'unload', 'unload']);
    expect(route.legs[1]).toMatchObject({ lon: landfill.lon, lat: landfill.lat, load: 0 });
    expect(route.legs.at(-1)).toMatchObject({ lon: depot.lon, lat: depot.lat });
  });

  it('is exact for small days: no permutation is shorter', () => {
    const stops = scatter(EXACT_LIMIT, 7);
    const planned = planRoute(depot, stops, 4).totalDistance;
    let best = Infinity;
    const perm = (rest: RouteStop[], acc: RouteStop[]) => {
      if (!rest.length) best = Math.min(best, walkRoute(depot, acc, 4).totalDistance);
      rest.forEach((s, i) => perm([...rest.slice(0, i), ...rest.slice(i + 1)], [...acc, s]));
    };
    perm(stops, []);
    expect(planned).toBeCloseTo(best, 6);
  });

  it('is never worse than the plain order on larger days, and usually much better', () => {
    let gains = 0;
    for (let seed = 1; seed <= 10; seed++) {
      const stops = scatter(25, seed);
      const plain = walkRoute(depot, stops, 6).totalDistance;
      const planned = planRoute(depot, stops, 6);
      expect(planned.totalDistance).toBeLessThanOrEqual(plain);
      expect(new Set(planned.order)).toEqual(new Set(stops.map((s) => s.id)));
      if (planned.totalDistance < plain * 0.7) gains++;
    }
    expect(gains).toBeGreaterThanOrEqual(8);
  });

  it('handles an empty day and refuses a vehicle without capacity', () => {
    expect(planRoute(depot, [], 5)).toMatchObject({ order: [], totalDistance: 0, legs: [] });
    expect(() => planRoute(depot, [at('a', 1, 1)], 0)).toThrow(RangeError);
  });
});
