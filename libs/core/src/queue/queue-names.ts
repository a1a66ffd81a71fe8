/**
 * Every BullMQ queue of the product, and every job with its payload type. Producers write outbox rows
 * with these names; processors in apps/worker consume them. One place, so a rename cannot drift.
 */
export enum QueueName {
  Media = 'media',
  Hotspots = 'hotspots',
  Landfills = 'landfills',
  Notifications = 'notifications',
  Sla = 'sla',
  Dispatch = 'dispatch',
  Maps = 'maps',
  Incidents = 'incidents',
}

export interface JobPayloads {
  'media.thumbnails': { reportId: string; photoIds: string[] };
  'hotspots.recluster': { cityId: string; reason: 'report' | 'incident' | 'nightly' | 'manual'; debounced?: boolean };
  'landfills.forecast': { landfillId: string };
  'notifications.send': { notificationId: string };
  'sla.scan': { cityId?: string };
  'reports.autoclose': Record<string, never>;
  'dispatch.follow_up': { reportId: string; reopenCount: number };
  'maps.fold-grid': Record<string, never>;
  'incidents.process': { incidentIds: string[] };
  'cameras.offline-scan': Record<string, never>;
  'hotspots.nightly': Record<string, never>;
  'landfills.forecast-all': Record<string, never>;
  'landfills.alerts-resend': Record<string, never>;
}

export type JobName = keyof JobPayloads;

/** Which queue carries each job. */
export const JOB_QUEUE: { [K in JobName]: QueueName } = {
  'media.thumbnails': QueueName.Media,
  'hotspots.recluster': QueueName.Hotspots,
  'landfills.forecast': QueueName.Landfills,
  'notifications.send': QueueName.Notifications,
  'sla.scan': QueueName.Sla,
  'reports.autoclose': QueueName.Sla,
  'dispatch.follow_up': QueueName.Dispatch,
  'maps.fold-grid': QueueName.Maps,
  'incidents.process': QueueName.Incidents,
  'cameras.offline-scan': QueueName.Incidents,
  'hotspots.nightly': QueueName.Hotspots,
  'landfills.forecast-all': QueueName.Landfills,
  'landfills.alerts-resend': QueueName.Landfills,
};

export const ALL_QUEUES: readonly QueueName[] = Object.values(QueueName);
