import type { LandfillAlert, LandfillCollection, LandfillSeries, Milestone } from '../dispatch/staff-api';
import type { ChartSeries } from './ForecastChart';

/** What the dashboard shows of a landfill (GET /api/v1/landfills). */
export interface LandfillView {
  id: string;
  name: string;
  status: string;
  capacityM3: number;
  cityIds: string[];
  /** 0-100 */
  fillPercent: number;
  asOf: string;
  milestones: Record<'80' | '90' | '95' | '100', Milestone | null>;
}

export function milestonesOf(thresholds: Record<string, Milestone> | null | undefined): LandfillView['milestones'] {
  return { '80': thresholds?.['80'] ?? null, '90': thresholds?.['90'] ?? null, '95': thresholds?.['95'] ?? null, '100': thresholds?.['100'] ?? null };
}

/** The landfills used by `cityId` (a landfill may serve several cities). */
export function landfillViews(fc: LandfillCollection | null, cityId: string): LandfillView[] {
  return (fc?.features ?? [])
    .filter((f) => !f.properties.cityIds?.length || f.properties.cityIds.includes(cityId))
    .map((f) => {
      const p = f.properties;
      return {
        id: p.id,
        name: p.name,
        status: p.status,
        capacityM3: p.capacityM3,
        cityIds: p.cityIds ?? [],
        fillPercent: p.fillPercent,
        asOf: p.asOf,
        milestones: milestonesOf(p.forecast?.thresholds),
      };
    })
    .sort((a, b) => b.fillPercent - a.fillPercent);
}

const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 1000;

/** Measured days and the weekly projection on one time axis for uPlot; the forecast starts where the measurements end. */
export function chartSeries(s: LandfillSeries): ChartSeries {
  const rows = new Map<number, { actual: number | null; forecast: number | null; low: number | null; high: number | null }>();
  const at = (t: number) => {
    let row = rows.get(t);
    if (!row) rows.set(t, (row = { actual: null, forecast: null, low: null, high: null }));
    return row;
  };
  for (const d of s.points) at(day(d.day)).actual = d.fillPercent;
  for (const p of s.forecast?.points ?? []) {
    const row = at(day(p.day));
    row.forecast = p.fillPercent;
    // low = the slow-fill scenario, high = the fast-fill one: the band between them.
    row.low = Math.min(p.lowPercent, p.highPercent);
    row.high = Math.max(p.lowPercent, p.highPercent);
  }
  const xs = [...rows.keys()].sort((a, b) => a - b);
  const lastMeasured = [...xs].reverse().find((x) => rows.get(x)!.actual !== null);
  if (lastMeasured !== undefined) {
    const row = rows.get(lastMeasured)!;
    if (row.forecast === null && xs.some((x) => x > lastMeasured)) row.forecast = row.low = row.high = row.actual;
  }
  return {
    x: xs,
    actual: xs.map((x) => rows.get(x)!.actual),
    forecast: xs.map((x) => rows.get(x)!.forecast),
    low: xs.map((x) => rows.get(x)!.low),
    high: xs.map((x) => rows.get(x)!.high),
  };
}

/** Whole days from `today` (YYYY-MM-DD) to `iso`; null when there is no date. */
export function daysBetween(today: string, iso: string | null): number | null {
  if (!iso) return null;
  return Math.max(0, Math.round((day(iso.slice(0, 10)) - day(today)) / 86_400));
}

export type AlertView = LandfillAlert;

export function alertViews(list: LandfillAlert[], landfills: LandfillView[]): AlertView[] {
  const ours = new Set(landfills.map((l) => l.id));
  // Open ones first, the most serious level first; then the acknowledged, newest first.
  const rank: Record<string, number> = { emergency: 0, critical: 1, full_within_year: 2, warning: 3 };
  return list
    .filter((a) => ours.has(a.landfillId))
    .sort((a, b) => Number(!!a.acknowledgedAt) - Number(!!b.acknowledgedAt) || (rank[a.level] ?? 9) - (rank[b.level] ?? 9) || b.raisedAt.localeCompare(a.raisedAt));
}
