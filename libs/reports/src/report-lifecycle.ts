/**
 * The rules of a report's life (DESIGN.md statuses). Pure functions: the service applies them inside a
 * transaction and writes a history row for each change.
 */
export const REPORT_STATUSES = ['submitted', 'registered', 'in_progress', 'resolved', 'closed', 'rejected', 'duplicate'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

/** Open for merging and for dispatch: someone still has to act. */
export const OPEN_STATUSES: readonly ReportStatus[] = ['submitted', 'registered', 'in_progress'];
/** Open311's view: `open` for the first four statuses, `closed` for the rest. */
export const OPEN311_OPEN: readonly ReportStatus[] = ['submitted', 'registered', 'in_progress', 'resolved'];

export const STAFF_ACTIONS = ['register', 'start', 'resolve', 'reject', 'mark_duplicate'] as const;
export type StaffAction = (typeof STAFF_ACTIONS)[number];

const TRANSITIONS: Record<StaffAction, { from: readonly ReportStatus[]; to: ReportStatus }> = {
  register: { from: ['submitted'], to: 'registered' },
  start: { from: ['registered'], to: 'in_progress' },
  resolve: { from: ['in_progress'], to: 'resolved' },
  reject: { from: ['submitted', 'registered'], to: 'rejected' },
  mark_duplicate: { from: ['submitted', 'registered'], to: 'duplicate' },
};

export const RATING_WINDOW_DAYS = 14;
/** The third return by a low rating puts the report on the akim's list. */
export const ESCALATE_AFTER_REOPENS = 3;
export const MERGE_RADIUS_METRES = 25;
export const MERGE_WINDOW_DAYS = 30;
export const NEARBY_RADIUS_METRES = 200;
export const NEARBY_LIMIT = 5;

export class TransitionRefused extends Error {
  constructor(
    readonly action: string,
    readonly status: ReportStatus,
    readonly allowed: string[],
  ) {
    super(
      `A report that is ${status.replace('_', ' ')} cannot be ${PAST[action] ?? action}; ` +
        (allowed.length ? `allowed now: ${allowed.join(', ')}.` : 'nothing can be done with it now.'),
    );
  }
}

const PAST: Record<string, string> = {
  register: 'registered',
  start: 'started',
  resolve: 'resolved',
  reject: 'rejected',
  mark_duplicate: 'marked as a duplicate',
  rate: 'rated',
};

/** What staff may do to a report in this status. */
export function allowedActions(status: ReportStatus): StaffAction[] {
  return STAFF_ACTIONS.filter((a) => TRANSITIONS[a].from.includes(status));
}

export function nextStatus(status: ReportStatus, action: StaffAction): ReportStatus {
  const rule = TRANSITIONS[action];
  if (!rule.from.includes(status)) throw new TransitionRefused(action, status, allowedActions(status));
  return rule.to;
}

export interface RatingOutcome {
  status: 'closed' | 'registered';
  reopened: boolean;
  escalate: boolean;
}

/** The resident's 1-5 rating of a resolved report: >= 3 closes it, < 3 sends it back. */
export function applyRating(report: { status: ReportStatus; resolvedAt: Date | null; reopenCount: number }, rating: number, now: Date): RatingOutcome {
  if (report.status !== 'resolved') throw new TransitionRefused('rate', report.status, []);
  if (!Number.isInteger(rating) || rating < 1 || rating > 5) throw new RangeError('rating must be an integer from 1 to 5');
  if (report.resolvedAt && now.getTime() - report.resolvedAt.getTime() > RATING_WINDOW_DAYS * 86400_000) {
    throw new TransitionRefused('rate', report.status, []);
  }
  if (rating >= 3) return { status: 'closed', reopened: false, escalate: false };
  return { status: 'registered', reopened: true, escalate: report.reopenCount + 1 >= ESCALATE_AFTER_REOPENS };
}

/** Resolved reports nobody rated within the window close by themselves. */
export function ratingWindowOver(resolvedAt: Date, now: Date): boolean {
  return now.getTime() - resolvedAt.getTime() > RATING_WINDOW_DAYS * 86400_000;
}

/** Estimated volume of a dump by its reported size, m³: the one table hotspots and dispatch use. */
export const SIZE_VOLUME_M3 = { bag: 0.05, wheelbarrow: 0.1, car: 1, truck: 5 } as const;
