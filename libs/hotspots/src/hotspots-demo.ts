/**
 * The demo cities' generated reports: piles on the outskirts (where illegal dumping happens) and a couple
 * in the core, plus scattered single piles. Two outskirts piles have a history: reports 70-85 days old
 * that were cleaned up, then dumping came back, so the demo shows `recurring` hotspots and camera
 * suggestions. Centres are drawn by PostGIS from fixed seeds, so every load puts them in the same places.
 */
export interface DemoPile {
  /** ST_GeneratePoints seed: the same seed gives the same centre. */
  seed: number;
  where: 'outskirts' | 'core';
  reports: number;
  radiusM: number;
  /** Age range of the reports, days. */
  ageDays: [number, number];
}

const outskirts = (seed: number, reports: number, radiusM: number): DemoPile => ({ seed, where: 'outskirts', reports, radiusM, ageDays: [0, 60] });

/** Open piles (status `registered`). */
export const DEMO_PILES: readonly DemoPile[] = [
  outskirts(11, 45, 60),
  outskirts(12, 38, 55),
  outskirts(13, 30, 50),
  outskirts(14, 26, 45),
  outskirts(15, 20, 40),
  outskirts(16, 16, 40),
  outskirts(17, 12, 35),
  outskirts(18, 8, 30),
  { seed: 21, where: 'core', reports: 14, radiusM: 40, ageDays: [0, 45] },
  { seed: 22, where: 'core', reports: 9, radiusM: 35, ageDays: [0, 45] },
  // Scattered single piles on the outskirts: noise to the clustering.
  ...Array.from({ length: 40 }, (_, i) => ({ seed: 100 + i, where: 'outskirts' as const, reports: 1, radiusM: 0, ageDays: [0, 80] as [number, number] })),
];

/** The earlier, cleaned-up dumping at two of the outskirts piles (same seeds = same places). */
export const DEMO_CLEANED_PILES: readonly DemoPile[] = [
  { seed: 11, where: 'outskirts', reports: 15, radiusM: 50, ageDays: [70, 85] },
  { seed: 13, where: 'outskirts', reports: 12, radiusM: 45, ageDays: [70, 85] },
];

/** Marks generated reports (their description starts with it), so a second load adds nothing. */
export const DEMO_MARK = '[demo]';
