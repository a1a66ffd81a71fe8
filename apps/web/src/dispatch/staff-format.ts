import type { Lang } from '../api/types';
import { localizedName } from '../api/types';

/**
 * Browsers without Kazakh calendar data (Debian's Chromium among them) spell a medium date as
 * "2027 M11 4": Kazakh dates are numeric (04.11.2027), which every browser formats well.
 */
function dateOptions(lang: Lang): Intl.DateTimeFormatOptions {
  return lang === 'kk' ? { day: '2-digit', month: '2-digit', year: 'numeric' } : { dateStyle: 'medium' };
}

export function formatDateTime(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  return lang === 'kk'
    ? new Intl.DateTimeFormat(lang, { ...dateOptions(lang), hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(d)
    : new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

export function formatDate(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return '—';
  // A bare YYYY-MM-DD is a calendar day: show it as such, whatever the time zone.
  const bare = /^\d{4}-\d{2}-\d{2}$/.test(iso);
  const d = bare ? new Date(`${iso}T12:00:00Z`) : new Date(iso);
  return Number.isNaN(d.getTime()) ? '—' : new Intl.DateTimeFormat(lang, { ...dateOptions(lang), timeZone: bare ? 'UTC' : undefined }).format(d);
}

/** Month and year for a chart axis: "Mar 26" in English, "03.26" otherwise (Russian's "март 26 г." crowds the axis). */
export function formatMonth(d: Date, lang: Lang): string {
  return new Intl.DateTimeFormat(lang, lang === 'en' ? { month: 'short', year: '2-digit' } : { month: '2-digit', year: '2-digit' }).format(d);
}

export function formatNumber(n: number | null | undefined, lang: Lang, digits = 1): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  return new Intl.NumberFormat(lang, { maximumFractionDigits: digits }).format(n);
}

export function formatPercent(share: number | null | undefined, lang: Lang, digits = 0): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return '—';
  return new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: digits }).format(share);
}

export function formatKm(metres: number, lang: Lang): string {
  return new Intl.NumberFormat(lang, { style: 'unit', unit: 'kilometer', maximumFractionDigits: 1 }).format(metres / 1000);
}

/** Straight-line metres between two points (good enough to rank "nearest"). */
export function metresBetween(a: { lon: number; lat: number }, b: { lon: number; lat: number }): number {
  const rad = Math.PI / 180;
  const x = (b.lon - a.lon) * rad * Math.cos(((a.lat + b.lat) / 2) * rad);
  const y = (b.lat - a.lat) * rad;
  return Math.sqrt(x * x + y * y) * 6_371_008.8;
}

/** A name that may be a plain string or a {kk, ru, en} object. */
export function nameOf(name: unknown, lang: Lang): string {
  if (typeof name === 'string') return name;
  if (name && typeof name === 'object') return localizedName(name as Record<Lang, string>, lang);
  return '';
}

export function shortId(id: string): string {
  return id.slice(0, 8);
}
