/**
 * The time-to-full forecast of a landfill: pure functions, unit-tested against series with known answers
 * (docs/landfills.md explains the choices).
 *
 * Intake rate: Theil–Sen (the median of every pairwise slope) over the weekly totals of the last 13
 * whole weeks (91 days). Weekly totals remove the weekday pattern (Sundays are light at every
 * weighbridge); the median slope ignores a week or two of odd figures (a broken weighbridge, a one-off
 * clean-up campaign) that would drag a least-squares line. The range is Sen's confidence interval for
 * the slope: the order statistics of the pairwise slopes at the ranks Kendall's tau variance gives
 * (95 %), each scenario's line passing through the medians of the data.
 *
 * A trend is carried forward for at most as long as the data it was fitted on (91 days); after that the
 * rate it reached is held. Intake never goes below zero.
 */

export const FORECAST_WEEKS = 13;
export const FORECAST_WINDOW_DAYS = FORECAST_WEEKS * 7;
/** How far ahead a trend is extended before the rate is held constant. */
export const TREND_HORIZON_DAYS = FORECAST_WINDOW_DAYS;
/** Beyond this a milestone is reported as not in sight (null). */
export const MAX_HORIZON_DAYS = 50 * 365;
export const MILESTONES = [80, 90, 95, 100] as const;
export type Milestone = (typeof MILESTONES)[number];
/** Two-sided normal quantile of the slope interval (95 %). */
const Z = 1.959964;

export interface TheilSenFit {
  /** Tonnes per week, per week. */
  slope: number;
  /** Weekly tonnes at week 0 (the oldest week of the window). */
  intercept: number;
  slopeLow: number;
  slopeHigh: number;
  /** The medians the low/high lines pass through. */
  medianX: number;
  medianY: number;
}

export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Theil–Sen fit of y over x = 0..n-1 with Sen's (1968) confidence interval for the slope. */
export function theilSen(y: number[]): TheilSenFit {
  const n = y.length;
  if (n < 2) {
    const level = n ? y[0] : 0;
    return { slope: 0, intercept: level, slopeLow: 0, slopeHigh: 0, medianX: 0, medianY: level };
  }
  const slopes: number[] = [];
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) slopes.push((y[j] - y[i]) / (j - i));
  slopes.sort((a, b) => a - b);
  const slope = median(slopes);
  const intercept = median(y.map((v, i) => v - slope * i));
  // Sen's interval: ranks (N -/+ C) / 2 of the N ordered slopes, C = z * sqrt(var of Kendall's S).
  const N = slopes.length;
  const c = Z * Math.sqrt((n * (n - 1) * (2 * n + 5)) / 18);
  const lowRank = Math.max(0, Math.min(N - 1, Math.floor((N - c) / 2)));
  const highRank = Math.max(0, Math.min(N - 1, Math.ceil((N + c) / 2)));
  return { slope, intercept, slopeLow: slopes[lowRank], slopeHigh: slopes[highRank], medianX: (n - 1) / 2, medianY: median(y) };
}

/** Sums of consecutive 7-day blocks, oldest first; the daily list must hold whole weeks, oldest first. */
export function weeklyTotals(dailyTonnes: number[]): number[] {
  const weeks: number[] = [];
  for (let i = 0; i + 7 <= dailyTonnes.length; i += 7) weeks.push(dailyTonnes.slice(i, i + 7).reduce((a, b) => a + b, 0));
  return weeks;
}

export interface ForecastInput {
  /** Tonnes per day over the window, oldest first, ending with the day of `asOf` (zeros for days without tickets). */
  dailyTonnes: number[];
  /** Volume used at the end of `asOf`, m³. */
  usedM3: number;
  capacityM3: number;
  /** Compacted density, t/m³. */
  density: number;
  /** "What if N% more is diverted": future intake is cut by this share (0-100). */
  divertPercent?: number;
  /** Also return the projected volume every 7 days for this many days (for the chart). */
  projectDays?: number;
}

export interface MilestoneForecast {
  percent: Milestone;
  /** Already at or above this line. */
  reached: boolean;
  /** Days from asOf to the central estimate; null = not within MAX_HORIZON_DAYS. */
  days: number | null;
  /** Earliest (fast-fill scenario) and latest (slow-fill) days; null = not in sight. */
  daysLow: number | null;
  daysHigh: number | null;
}

export interface Forecast {
  weeks: number[];
  /** Intake now, tonnes a day: the fitted line at the end of the window (before any diversion). */
  rateTonnesPerDay: number;
  rateLowTonnesPerDay: number;
  rateHighTonnesPerDay: number;
  /** Trend of the weekly totals, tonnes per week per week. */
  slopeTonnesPerWeek: number;
  divertPercent: number;
  milestones: MilestoneForecast[];
  /** Projected used volume, m³, every 7 days ahead: central, slow-fill (low) and fast-fill (high). */
  projection: { days: number; usedM3: number; lowM3: number; highM3: number }[];
}

type Scenario = (day: number) => number;

/** The daily intake a fitted line predicts `day` days after the window (trend held after TREND_HORIZON_DAYS). */
function scenario(level: (x: number) => number, weeks: number, keep: number): Scenario {
  const end = weeks - 0.5; // x of the window's last day, in weeks (x = week index at mid-week)
  return (day) => {
    const x = end + Math.min(day - 0.5, TREND_HORIZON_DAYS) / 7;
    return (Math.max(0, level(x)) / 7) * keep;
  };
}

/** Whole days until `tonnes` more have arrived at the scenario's rates; null when not within the horizon. */
export function daysUntil(tonnes: number, rate: Scenario): number | null {
  if (tonnes <= 0) return 0;
  let total = 0;
  for (let d = 1; d <= TREND_HORIZON_DAYS + 1; d++) {
    total += rate(d);
    if (total >= tonnes - 1e-9) return d;
  }
  // After the trend horizon the rate is constant: the rest is a division.
  const held = rate(TREND_HORIZON_DAYS + 2);
  if (held <= 0) return null;
  const days = TREND_HORIZON_DAYS + 1 + Math.ceil((tonnes - total) / held - 1e-9);
  return days <= MAX_HORIZON_DAYS ? days : null;
}

export function forecast(input: ForecastInput): Forecast {
  const weeks = weeklyTotals(input.dailyTonnes);
  const fit = theilSen(weeks);
  const divertPercent = Math.min(100, Math.max(0, input.divertPercent ?? 0));
  const keep = 1 - divertPercent / 100;
  const central = (x: number) => fit.intercept + fit.slope * x;
  const through = (s: number) => (x: number) => fit.medianY + s * (x - fit.medianX);
  const scenarios = {
    central: scenario(central, weeks.length, keep),
    fast: scenario(through(fit.slopeHigh), weeks.length, keep),
    slow: scenario(through(fit.slopeLow), weeks.length, keep),
  };
  const now = (level: (x: number) => number) => Math.max(0, level(weeks.length - 0.5)) / 7;
  const milestones = MILESTONES.map((percent): MilestoneForecast => {
    const needTonnes = ((percent / 100) * input.capacityM3 - input.usedM3) * input.density;
    if (needTonnes <= 0) return { percent, reached: true, days: 0, daysLow: 0, daysHigh: 0 };
    const days = [scenarios.fast, scenarios.central, scenarios.slow].map((s) => daysUntil(needTonnes, s));
    // Later = larger; "not in sight" (null) is the latest of all.
    const order = (d: number | null) => (d === null ? Infinity : d);
    const sorted = [...days].sort((a, b) => order(a) - order(b));
    return { percent, reached: false, days: days[1], daysLow: sorted[0], daysHigh: sorted[2] };
  });
  const projection: Forecast['projection'] = [];
  const sum = { central: 0, slow: 0, fast: 0 };
  for (let d = 1; d <= (input.projectDays ?? 0); d++) {
    sum.central += scenarios.central(d);
    sum.slow += scenarios.slow(d);
    sum.fast += scenarios.fast(d);
    if (d % 7 === 0) {
      const used = (t: number) => input.usedM3 + t / input.density;
      projection.push({ days: d, usedM3: used(sum.central), lowM3: used(Math.min(sum.slow, sum.central)), highM3: used(Math.max(sum.fast, sum.central)) });
    }
  }
  return {
    weeks,
    rateTonnesPerDay: now(central),
    rateLowTonnesPerDay: now(through(fit.slopeLow)),
    rateHighTonnesPerDay: now(through(fit.slopeHigh)),
    slopeTonnesPerWeek: fit.slope,
    divertPercent,
    milestones,
    projection,
  };
}

/** The fill level: the last survey's volume plus the intake since, converted by density, over capacity. */
export function fillLevel(f: { surveyUsedM3: number; intakeSinceTonnes: number; density: number; capacityM3: number }): { usedM3: number; fillPercent: number } {
  const usedM3 = f.surveyUsedM3 + f.intakeSinceTonnes / f.density;
  return { usedM3, fillPercent: (usedM3 / f.capacityM3) * 100 };
}
