import { dueForResend, evaluateAlerts, type AlertLevel } from './landfill-alert-rules.js';

/** Runs the rules over a series of daily levels, keeping the live set as the service does. */
function run(levels: number[], daysToFull: (i: number) => number | null = () => null): { day: number; raised: AlertLevel[]; rearmed: AlertLevel[] }[] {
  let live: AlertLevel[] = [];
  const events: { day: number; raised: AlertLevel[]; rearmed: AlertLevel[] }[] = [];
  levels.forEach((fillPercent, day) => {
    const d = evaluateAlerts({ fillPercent, daysToFull: daysToFull(day), live });
    live = [...live.filter((l) => !d.rearm.includes(l)), ...d.raise];
    if (d.raise.length || d.rearm.length) events.push({ day, raised: d.raise, rearmed: d.rearm });
  });
  return events;
}

describe('landfill alert rules', () => {
  it('raises the warning once for a level that wavers around 80 %', () => {
    expect(run([79.5, 80.1, 79.8, 80.4, 78.2, 80.9, 81])).toEqual([{ day: 1, raised: ['warning'], rearmed: [] }]);
  });

  it('re-arms only after falling more than 2 points below the line, then raises again', () => {
    expect(run([80.5, 77.9, 79, 80])).toEqual([
      { day: 0, raised: ['warning'], rearmed: [] },
      { day: 1, raised: [], rearmed: ['warning'] },
      { day: 3, raised: ['warning'], rearmed: [] },
    ]);
  });

  it('raises every line a jump crosses: 70 % to 96 % is warning, critical and emergency', () => {
    expect(run([70, 96])).toEqual([{ day: 1, raised: ['warning', 'critical', 'emergency'], rearmed: [] }]);
  });

  it('raises "full within a year" once the forecast says so and re-arms it when it moves past 395 days', () => {
    const forecast = [500, 365, 300, 380, 395, 396, 364];
    expect(run(forecast.map(() => 50), (i) => forecast[i])).toEqual([
      { day: 1, raised: ['full_within_year'], rearmed: [] },
      { day: 5, raised: [], rearmed: ['full_within_year'] },
      { day: 6, raised: ['full_within_year'], rearmed: [] },
    ]);
  });

  it('re-sends an unacknowledged critical or emergency alert after 7 days, nothing else', () => {
    const now = new Date('2026-06-15T06:00:00Z');
    const ago = (d: number) => new Date(now.getTime() - d * 86_400_000);
    const base = { level: 'critical' as AlertLevel, acknowledgedAt: null, rearmedAt: null, lastSentAt: ago(7) };
    expect(dueForResend(base, now)).toBe(true);
    expect(dueForResend({ ...base, level: 'emergency' }, now)).toBe(true);
    expect(dueForResend({ ...base, lastSentAt: ago(6.9) }, now)).toBe(false);
    expect(dueForResend({ ...base, acknowledgedAt: ago(1) }, now)).toBe(false);
    expect(dueForResend({ ...base, rearmedAt: ago(1) }, now)).toBe(false);
    expect(dueForResend({ ...base, level: 'warning' }, now)).toBe(false);
    expect(dueForResend({ ...base, level: 'full_within_year' }, now)).toBe(false);
  });
});
