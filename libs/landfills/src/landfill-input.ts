import { parse } from 'csv-parse/sync';
import type { FieldProblem } from '../../core/src/index.js';
import type { IntakeInput, SurveyInput, SurveyMethod } from './landfills.repository.js';

/** More than this in one day at one landfill is a typo (a misplaced decimal point), not waste. */
export const MAX_TONNES_PER_DAY = 10_000;
export const SURVEY_METHODS: readonly SurveyMethod[] = ['drone', 'topographic', 'estimate'];
export const MAX_CSV_ROWS = 20_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Null when `day` is a real calendar date (YYYY-MM-DD) not after `today`, else the problem. */
export function dayProblem(day: unknown, today: string): string | null {
  if (typeof day !== 'string' || !DATE.test(day)) return 'must be a date YYYY-MM-DD';
  const d = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== day) return 'is not a calendar date';
  if (day > today) return `must not be in the future (today is ${today})`;
  if (day < '1950-01-01') return 'must be 1950 or later';
  return null;
}

export function tonnesProblem(t: unknown): string | null {
  if (typeof t !== 'number' || !Number.isFinite(t)) return 'must be a number of tonnes';
  if (t <= 0) return 'must be more than 0';
  if (t > MAX_TONNES_PER_DAY) return `must be at most ${MAX_TONNES_PER_DAY.toLocaleString('en')} t (a day at one landfill)`;
  return null;
}

export function usedProblem(v: unknown, capacityM3: number): string | null {
  if (typeof v !== 'number' || !Number.isFinite(v)) return 'must be a number of m³';
  if (v < 0) return 'must not be negative';
  if (v > capacityM3) return `must not exceed the landfill's capacity (${capacityM3.toLocaleString('en')} m³)`;
  return null;
}

export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

const num = (s: string | undefined) => (s === undefined || s.trim() === '' ? undefined : Number(s.trim().replace(',', '.')));
const text = (s: string | undefined) => (s === undefined || s.trim() === '' ? null : s.trim());

export interface CsvResult<T> {
  rows: { row: number; value: T }[];
  problems: FieldProblem[];
}

export interface RowContext {
  today: string;
  capacityM3: number;
  /** The cities using the landfill, by id and by slug. */
  cities: Map<string, string>;
}

/**
 * Reads a CSV with a header row. Rows are numbered as a spreadsheet shows them (the header is row 1);
 * a row with the wrong number of fields is a problem of its own.
 */
function readCsv(bytes: Buffer, required: string[], optional: string[]): { records: { row: number; r: Record<string, string> }[]; problems: FieldProblem[] } {
  let table: string[][];
  try {
    table = parse(bytes, { bom: true, trim: true, relax_column_count: true, skip_empty_lines: true, info: false }) as string[][];
  } catch (err) {
    return { records: [], problems: [{ field: 'file', message: `is not a readable CSV file (${(err as Error).message})` }] };
  }
  const columns = `columns: ${required.join(', ')}${optional.length ? ` and optionally ${optional.join(', ')}` : ''}`;
  if (table.length === 0) return { records: [], problems: [{ field: 'file', message: `is empty; it needs a header row (${columns})` }] };
  const header = table[0].map((c) => c.trim().toLowerCase());
  const missing = required.filter((c) => !header.includes(c));
  const unknown = header.filter((c) => !required.includes(c) && !optional.includes(c));
  const problems: FieldProblem[] = [];
  if (missing.length) problems.push({ field: 'file', message: `the header row lacks ${missing.join(', ')} (${columns})` });
  if (unknown.length) problems.push({ field: 'file', message: `the header row has unknown columns ${unknown.join(', ')} (${columns})` });
  if (!problems.length && table.length === 1) problems.push({ field: 'file', message: 'has no rows under the header' });
  if (table.length - 1 > MAX_CSV_ROWS) problems.push({ field: 'file', message: `has more than ${MAX_CSV_ROWS.toLocaleString('en')} rows; split it` });
  if (problems.length) return { records: [], problems };
  const records: { row: number; r: Record<string, string> }[] = [];
  table.slice(1).forEach((fields, i) => {
    const row = i + 2;
    if (fields.length !== header.length) problems.push({ field: `rows[${row}]`, message: `row ${row}: has ${fields.length} fields, the header has ${header.length}` });
    else records.push({ row, r: Object.fromEntries(header.map((h, k) => [h, fields[k]])) });
  });
  return { records, problems };
}

/** One problem line per bad row: the first bad field names it, the message lists all. */
function rowProblem(row: number, bad: [string, string][]): FieldProblem {
  return { field: `rows[${row}].${bad[0][0]}`, message: `row ${row}: ${bad.map(([f, m]) => `${f} ${m}`).join('; ')}` };
}

/** Intake tickets: date, tonnes[, plate, source_city, ticket]. */
export function parseIntakeCsv(bytes: Buffer, ctx: RowContext): CsvResult<IntakeInput> {
  const { records, problems } = readCsv(bytes, ['date', 'tonnes'], ['plate', 'source_city', 'ticket']);
  const rows: CsvResult<IntakeInput>['rows'] = [];
  const tickets = new Map<string, number>();
  records.forEach(({ row, r }) => {
    const value = intakeRow({ day: r.date, tonnes: num(r.tonnes), plate: text(r.plate), sourceCity: text(r.source_city), ticket: text(r.ticket) }, ctx);
    if ('bad' in value) return problems.push(rowProblem(row, value.bad));
    if (value.externalId) {
      const first = tickets.get(value.externalId);
      if (first) return problems.push(rowProblem(row, [['ticket', `repeats row ${first}`]]));
      tickets.set(value.externalId, row);
    }
    rows.push({ row, value });
  });
  return { rows, problems };
}

/** Surveys: date, used_m3, method[, note]. */
export function parseSurveysCsv(bytes: Buffer, ctx: RowContext): CsvResult<SurveyInput> {
  const { records, problems } = readCsv(bytes, ['date', 'used_m3', 'method'], ['note']);
  const rows: CsvResult<SurveyInput>['rows'] = [];
  const days = new Map<string, number>();
  records.forEach(({ row, r }) => {
    const value = surveyRow({ day: r.date, usedM3: num(r.used_m3), method: r.method?.toLowerCase(), note: text(r.note) }, ctx);
    if ('bad' in value) return problems.push(rowProblem(row, value.bad));
    const first = days.get(value.day);
    if (first) return problems.push(rowProblem(row, [['date', `repeats row ${first} (one survey a day)`]]));
    days.set(value.day, row);
    rows.push({ row, value });
  });
  return { rows, problems };
}

/** Checks one intake ticket; `bad` lists [field, problem] pairs. */
export function intakeRow(r: { day: unknown; tonnes: unknown; plate?: string | null; sourceCity?: string | null; ticket?: string | null }, ctx: RowContext): IntakeInput | { bad: [string, string][] } {
  const bad: [string, string][] = [];
  const dayWrong = dayProblem(r.day, ctx.today);
  if (dayWrong) bad.push(['date', dayWrong]);
  const tonnesWrong = tonnesProblem(r.tonnes);
  if (tonnesWrong) bad.push(['tonnes', tonnesWrong]);
  if (r.plate && r.plate.length > 20) bad.push(['plate', 'must be at most 20 characters']);
  if (r.ticket && r.ticket.length > 100) bad.push(['ticket', 'must be at most 100 characters']);
  let sourceCityId: string | null = null;
  if (r.sourceCity) {
    sourceCityId = ctx.cities.get(r.sourceCity.toLowerCase()) ?? null;
    if (!sourceCityId) bad.push(['source_city', 'is not a city that uses this landfill']);
  } else if (new Set(ctx.cities.values()).size === 1) {
    sourceCityId = [...ctx.cities.values()][0];
  }
  if (bad.length) return { bad };
  return { day: r.day as string, tonnes: r.tonnes as number, plate: r.plate?.toUpperCase().replace(/\s+/g, '') || null, sourceCityId, externalId: r.ticket || null };
}

export function surveyRow(r: { day: unknown; usedM3: unknown; method: unknown; note?: string | null }, ctx: RowContext): SurveyInput | { bad: [string, string][] } {
  const bad: [string, string][] = [];
  const dayWrong = dayProblem(r.day, ctx.today);
  if (dayWrong) bad.push(['date', dayWrong]);
  const usedWrong = usedProblem(r.usedM3, ctx.capacityM3);
  if (usedWrong) bad.push(['used_m3', usedWrong]);
  if (!SURVEY_METHODS.includes(r.method as SurveyMethod)) bad.push(['method', `must be one of ${SURVEY_METHODS.join(', ')}`]);
  if (r.note && r.note.length > 2000) bad.push(['note', 'must be at most 2,000 characters']);
  if (bad.length) return { bad };
  return { day: r.day as string, usedM3: r.usedM3 as number, method: r.method as SurveyMethod, note: r.note ?? null };
}
