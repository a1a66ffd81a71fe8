/** The rules of a work order's life. Pure: the service applies them in a transaction. */
export const WORK_ORDER_STATUSES = ['planned', 'in_progress', 'done', 'cancelled'] as const;
export type WorkOrderStatus = (typeof WORK_ORDER_STATUSES)[number];
export type WorkOrderAction = 'assign' | 'start' | 'complete' | 'cancel';

const ALLOWED: Record<WorkOrderAction, readonly WorkOrderStatus[]> = {
  assign: ['planned'],
  start: ['planned'],
  complete: ['in_progress'],
  cancel: ['planned', 'in_progress'],
};
const PAST: Record<WorkOrderAction, string> = { assign: 'assigned', start: 'started', complete: 'completed', cancel: 'cancelled' };

export function allowedWorkOrderActions(status: WorkOrderStatus): WorkOrderAction[] {
  return (Object.keys(ALLOWED) as WorkOrderAction[]).filter((a) => ALLOWED[a].includes(status));
}

/** null when allowed, else the refusal's past-tense verb (for the 409 sentence). */
export function refusal(status: WorkOrderStatus, action: WorkOrderAction): string | null {
  return ALLOWED[action].includes(status) ? null : PAST[action];
}

/** Default SLA targets (hours), overridable per city and category in `sla_targets`. */
export const SLA_DEFAULTS = { registerHours: 24, resolveHours: 72, resolveHoursByCategory: { construction: 7 * 24 } as Record<string, number> };

/**
 * Priority of a work order (higher = sooner): a follow-up returned by a resident's low rating goes to
 * the top; then the age of its oldest report (an hour a point, capped at a month), hazardous
 * categories, and the hotspot's severity when it came from one.
 */
export function workOrderPriority(input: { followUp: boolean; oldestReportAgeHours: number; hazardousReports: number; hotspotSeverity?: number | null }): number {
  return Math.round(
    (input.followUp ? 10_000 : 0) + Math.min(720, Math.max(0, input.oldestReportAgeHours)) + 100 * input.hazardousReports + (input.hotspotSeverity ?? 0),
  );
}
