import { daysUntil, fillLevel, forecast, theilSen, weeklyTotals, FORECAST_WINDOW_DAYS } from './landfill-forecast.js';

const days = (perDay: (day: number) => number) => Array.from({ length: FORECAST_WINDOW_DAYS }, (_, i) => perDay(i));
/** Daily tonnes whose weekly totals are `weekly(i)`, spread evenly over the week. */
const byWeek = (weekly: (week: number) => number) => days((d) => weekly(Math.floor(d / 7)) / 7);
const milestone = (f: ReturnType<typeof forecast>, p: number) => f.milestones.find((m) => m.percent === p)!;

describe('landfill forecast', () => {
  it('sums whole weeks, oldest first', () => {
    expect(weeklyTotals([1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 9])).toEqual([7, 14]);
  });

  it('fits an exact line exactly, with no range', () => {
    const fit = theilSen([700, 770, 840, 910, 980]);
    expect(fit).toMatchObject({ slope: 70, intercept: 700, slopeLow: 70, slopeHigh: 70 });
  });

  it('ignores a one-off week (a clean-up campaign) that would tilt a least-squares line', () => {
    const weeks = Array.from({ length: 13 }, (_, i) => (i === 11 ? 7000 : 700));
    expect(theilSen(weeks).slope).toBe(0);
    const f = forecast({ dailyTonnes: byWeek((w) => (w === 11 ? 7000 : 700)), usedM3: 50_000, capacityM3: 100_000, density: 0.8 });
    expect(f.rateTonnesPerDay).toBeCloseTo(100, 9);
  });

  it('projects a steady 100 t/day: 80 % in 240 days, 90 % in 320, 100 % in 400 (past the trend horizon)', () => {
    const f = forecast({ dailyTonnes: days(() => 100), usedM3: 50_000, capacityM3: 100_000, density: 0.8 });
    expect(f.rateTonnesPerDay).toBeCloseTo(100, 9);
    expect(f.slopeTonnesPerWeek).toBe(0);
    expect(milestone(f, 80)).toEqual({ percent: 80, reached: false, days: 240, daysLow: 240, daysHigh: 240 });
    expect(milestone(f, 90).days).toBe(320);
    expect(milestone(f, 95).days).toBe(360);
    expect(milestone(f, 100).days).toBe(400);
  });

  it('carries a growing intake forward: weekly totals 700 + 70 w reach 19,250 t more in exactly 70 days', () => {
    // Day d ahead takes 225 + (10 d - 5) / 7 t, so d days sum to 225 d + 5 d^2 / 7 = 19,250 at d = 70.
    const f = forecast({ dailyTonnes: byWeek((w) => 700 + 70 * w), usedM3: 80_000 - 19_250 / 0.8, capacityM3: 100_000, density: 0.8 });
    expect(f.rateTonnesPerDay).toBeCloseTo(225, 9);
    expect(f.slopeTonnesPerWeek).toBeCloseTo(70, 9);
    expect(milestone(f, 80)).toMatchObject({ days: 70, daysLow: 70, daysHigh: 70 });
  });

  it('gives a range that holds the central date when weeks are noisy', () => {
    const noisy = byWeek((w) => 700 + 15 * w + (w % 2 ? 120 : -120) + (w % 3) * 40);
    const f = forecast({ dailyTonnes: noisy, usedM3: 60_000, capacityM3: 100_000, density: 0.8 });
    expect(f.rateLowTonnesPerDay).toBeLessThan(f.rateTonnesPerDay);
    expect(f.rateHighTonnesPerDay).toBeGreaterThan(f.rateTonnesPerDay);
    for (const m of f.milestones) {
      expect(m.daysLow!).toBeLessThan(m.days!);
      expect(m.daysHigh!).toBeGreaterThan(m.days!);
    }
  });

  it('re-runs with "25 % more diverted": 75 t/day reach 80 % in 320 days instead of 240', () => {
    const f = forecast({ dailyTonnes: days(() => 100), usedM3: 50_000, capacityM3: 100_000, density: 0.8, divertPercent: 25 });
    expect(f.divertPercent).toBe(25);
    expect(milestone(f, 80).days).toBe(320);
  });

  it('marks lines already passed and leaves dates out of sight when nothing arrives', () => {
    const f = forecast({ dailyTonnes: days(() => 0), usedM3: 85_000, capacityM3: 100_000, density: 0.8 });
    expect(milestone(f, 80)).toEqual({ percent: 80, reached: true, days: 0, daysLow: 0, daysHigh: 0 });
    expect(milestone(f, 90)).toEqual({ percent: 90, reached: false, days: null, daysLow: null, daysHigh: null });
  });

  it('counts days at a constant rate by division past the trend horizon', () => {
    expect(daysUntil(0, () => 5)).toBe(0);
    expect(daysUntil(1000, () => 10)).toBe(100);
    expect(daysUntil(1e12, () => 1)).toBeNull();
  });

  it('computes the fill level from the last survey plus intake since, by density', () => {
    expect(fillLevel({ surveyUsedM3: 60_000, intakeSinceTonnes: 8_000, density: 0.8, capacityM3: 100_000 })).toEqual({ usedM3: 70_000, fillPercent: 70 });
  });
});
