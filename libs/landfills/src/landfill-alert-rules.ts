/**
 * When a landfill alert is raised, cleared and re-sent. Pure rules; the service applies them to the
 * live alerts it reads and writes the result in one transaction.
 *
 * Each line is held by at most one live alert. A line is crossed upwards -> an alert is raised; it is
 * re-armed (the live alert is cleared, so the next crossing raises again) only once the level has fallen
 * REARM_MARGIN_POINTS below the line. A level wavering around 80 % therefore raises once.
 */
export const LEVEL_ALERTS = { warning: 80, critical: 90, emergency: 95 } as const;
export type LevelAlert = keyof typeof LEVEL_ALERTS;
export type AlertLevel = LevelAlert | 'full_within_year';
export const ALERT_LEVELS: readonly AlertLevel[] = ['warning', 'critical', 'emergency', 'full_within_year'];
/** Percentage points below a line the level must fall before that line can raise again. */
export const REARM_MARGIN_POINTS = 2;
/** The forecast alert: 100 % expected within this many days... */
export const FULL_WITHIN_DAYS = 365;
/** ...and re-armed only when the forecast moves this much further out again. */
export const FULL_REARM_EXTRA_DAYS = 30;
/** Unacknowledged alerts of these levels are sent again every RESEND_AFTER_DAYS. */
export const RESEND_LEVELS: readonly AlertLevel[] = ['critical', 'emergency'];
export const RESEND_AFTER_DAYS = 7;

export interface AlertState {
  fillPercent: number;
  /** Central forecast of days until 100 %; null when not in sight. */
  daysToFull: number | null;
  /** Levels that have a live (not re-armed) alert now. */
  live: readonly AlertLevel[];
}

export interface AlertDecision {
  raise: AlertLevel[];
  rearm: AlertLevel[];
}

export function evaluateAlerts(s: AlertState): AlertDecision {
  const raise: AlertLevel[] = [];
  const rearm: AlertLevel[] = [];
  const live = new Set(s.live);
  for (const [level, line] of Object.entries(LEVEL_ALERTS) as [LevelAlert, number][]) {
    if (!live.has(level) && s.fillPercent >= line) raise.push(level);
    else if (live.has(level) && s.fillPercent < line - REARM_MARGIN_POINTS) rearm.push(level);
  }
  const soon = s.daysToFull !== null && s.daysToFull <= FULL_WITHIN_DAYS;
  const farAgain = s.daysToFull === null || s.daysToFull > FULL_WITHIN_DAYS + FULL_REARM_EXTRA_DAYS;
  if (!live.has('full_within_year') && soon) raise.push('full_within_year');
  else if (live.has('full_within_year') && farAgain) rearm.push('full_within_year');
  return { raise, rearm };
}

/** Is an alert due to be sent again at `now`? */
export function dueForResend(a: { level: AlertLevel; acknowledgedAt: Date | null; rearmedAt: Date | null; lastSentAt: Date | null }, now: Date): boolean {
  if (!RESEND_LEVELS.includes(a.level) || a.acknowledgedAt || a.rearmedAt) return false;
  return a.lastSentAt === null || now.getTime() - a.lastSentAt.getTime() >= RESEND_AFTER_DAYS * 86_400_000;
}

/** The most severe first: the order of an email's lines and of the in-app list. */
export function severity(level: AlertLevel): number {
  return { emergency: 4, critical: 3, full_within_year: 2, warning: 1 }[level];
}
