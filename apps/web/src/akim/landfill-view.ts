import type { Lang } from '../api/types';
import type { LandfillAlert, LandfillCollection, LandfillSeries } from '../dispatch/staff-api';
import { nameOf } from '../dispatch/staff-format';
import type { ChartSeries } from './ForecastChart';

/*
 * The landfills API is read defensively here: percent or share, flat or nested forecasts. Everything
 * the dashboard shows goes through these few functions.
 */

export interface ThresholdView {
  date: string | null;
  low: string | null;
  high: string | null;
}

export interface LandfillView {
  id: string;
  name: string;
  status: string;
  capacityM3: number | null;
  /** 0-100 */
  fillPercent: number | null;
  thresholds: Record<'80' | '90' | '95' | '100', ThresholdView>;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : null);
const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);

/** 0.9 and 90 both mean 90 %. */
export function asPercent(v: unknown): number | null {
  const n = num(v);
  if (n === null) return null;
  return n <= 1.5 ? n * 100 : n;
}

function threshold(raw: unknown): ThresholdView {
  if (typeof raw === 'string') return { date: raw, low: null, high: null };
  const o = (raw ?? {}) as Record<string, unknown>;
  const range = (o.range ?? {}) as Record<string, unknown>;
  return {
    date: str(o.date) ?? str(o.expected) ?? str(o.at) ?? str(o.mid),
    low: str(o.low) ?? str(o.earliest) ?? str(o.from) ?? str(range.low) ?? str(range.from),
    high: str(o.high) ?? str(o.latest) ?? str(o.to) ?? str(range.high) ?? str(range.to),
  };
}

/** Forecast thresholds from any of: {thresholds: {"90": …}}, [{percent: 90, …}], {reach90: …}. */
export function thresholdsOf(raw: unknown): LandfillView['thresholds'] {
  const out = { '80': threshold(null), '90': threshold(null), '95': threshold(null), '100': threshold(null) };
  if (!raw) return out;
  let t: unknown = raw;
  const o = raw as Record<string, unknown>;
  if (o && typeof o === 'object' && !Array.isArray(o)) t = o.thresholds ?? o.dates ?? o.reach ?? o;
  if (Array.isArray(t)) {
    for (const item of t as Record<string, unknown>[]) {
      const p = asPercent(item.percent ?? item.threshold ?? item.level);
      const key = p === null ? null : String(Math.round(p));
      if (key && key in out) out[key as keyof typeof out] = threshold(item);
    }
  } else if (t && typeof t === 'object') {
    for (const key of Object.keys(out) as (keyof typeof out)[]) {
      const rec = t as Record<string, unknown>;
      const v = rec[key] ?? rec[`p${key}`] ?? rec[`reach${key}`] ?? rec[`pct${key}`] ?? rec[`${key}%`];
      if (v !== undefined) out[key] = threshold(v);
    }
  }
  return out;
}

export function landfillViews(fc: LandfillCollection | null, lang: Lang): LandfillView[] {
  return (fc?.features ?? []).map((f) => {
    const p = f.properties as Record<string, unknown>;
    return {
      id: String(p.id ?? f.id),
      name: nameOf(p.name, lang) || String(p.slug ?? p.id),
      status: String(p.status ?? 'operating'),
      capacityM3: num(p.capacityM3 ?? p.designCapacityM3),
      fillPercent: asPercent(p.fillPercent ?? p.fillLevelPercent ?? p.fillLevel ?? p.fill ?? (p.current as Record<string, unknown> | undefined)?.fillPercent),
      thresholds: thresholdsOf(p.forecast ?? p.thresholds),
    };
  });
}

const day = (iso: string) => Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(iso) ? `${iso}T00:00:00Z` : iso) / 1000;

/** Measured and forecast points on one time axis for uPlot. */
export function chartSeries(raw: LandfillSeries | Record<string, unknown>): ChartSeries {
  const r = raw as Record<string, unknown>;
  const measured = (Array.isArray(r.series) ? r.series : Array.isArray(r.history) ? r.history : Array.isArray(r.points) ? r.points : []) as Record<string, unknown>[];
  const fc = r.forecast as unknown;
  const forecast = (Array.isArray(fc) ? fc : Array.isArray((fc as Record<string, unknown> | null)?.points) ? (fc as Record<string, unknown>).points : Array.isArray((fc as Record<string, unknown> | null)?.series) ? (fc as Record<string, unknown>).series : []) as Record<string, unknown>[];
  const rows = new Map<number, { actual: number | null; forecast: number | null; low: number | null; high: number | null }>();
  const at = (t: number) => {
    let row = rows.get(t);
    if (!row) rows.set(t, (row = { actual: null, forecast: null, low: null, high: null }));
    return row;
  };
  for (const m of measured) {
    const d = str(m.date) ?? str(m.day);
    if (!d) continue;
    at(day(d)).actual = asPercent(m.fillPercent ?? m.fillLevel ?? m.fill ?? m.percent);
  }
  for (const f of forecast) {
    const d = str(f.date) ?? str(f.day);
    if (!d) continue;
    const row = at(day(d));
    row.forecast = asPercent(f.fillPercent ?? f.fillLevel ?? f.fill ?? f.expected ?? f.mid ?? f.percent);
    row.low = asPercent(f.low ?? f.lowPercent ?? f.fillLow);
    row.high = asPercent(f.high ?? f.highPercent ?? f.fillHigh);
  }
  // The forecast starts where the measurements end, so the two lines join.
  const xs = [...rows.keys()].sort((a, b) => a - b);
  const lastMeasured = [...xs].reverse().find((x) => rows.get(x)!.actual !== null);
  if (lastMeasured !== undefined) {
    const row = rows.get(lastMeasured)!;
    if (row.forecast === null && xs.some((x) => x > lastMeasured && rows.get(x)!.forecast !== null)) {
      row.forecast = row.actual;
      row.low = row.actual;
      row.high = row.actual;
    }
  }
  return {
    x: xs,
    actual: xs.map((x) => rows.get(x)!.actual),
    forecast: xs.map((x) => rows.get(x)!.forecast),
    low: xs.map((x) => rows.get(x)!.low),
    high: xs.map((x) => rows.get(x)!.high),
  };
}

export function daysUntil(iso: string | null, now = Date.now()): number | null {
  if (!iso) return null;
  const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(iso) ? `${iso}T00:00:00Z` : iso);
  return Number.isNaN(t) ? null : Math.max(0, Math.round((t - now) / 86_400_000));
}

export interface AlertView {
  id: string;
  landfillId: string;
  landfillName: string;
  level: string;
  fillPercent: number | null;
  message: string | null;
  raisedAt: string;
  acknowledgedAt: string | null;
  note: string | null;
}

export function alertViews(list: LandfillAlert[], landfills: LandfillView[], lang: Lang): AlertView[] {
  return list.map((raw) => {
    const a = raw as unknown as Record<string, unknown>;
    const landfillId = String(a.landfillId ?? '');
    return {
      id: String(a.id),
      landfillId,
      landfillName: nameOf(a.landfillName ?? (a.landfill as Record<string, unknown> | undefined)?.name, lang) || landfills.find((l) => l.id === landfillId)?.name || '',
      level: String(a.level ?? a.severity ?? a.kind ?? 'warning'),
      fillPercent: asPercent(a.fillPercent ?? a.fillLevel),
      message: str(a.message) ?? str(a.reason),
      raisedAt: String(a.raisedAt ?? a.createdAt ?? ''),
      acknowledgedAt: str(a.acknowledgedAt),
      note: str(a.acknowledgedNote) ?? str(a.acknowledgeNote) ?? str(a.note),
    };
  });
}
