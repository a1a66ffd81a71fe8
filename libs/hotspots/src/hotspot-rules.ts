/**
 * The rules of hotspots, pure so they are unit-tested: the severity score, how a new run's clusters
 * inherit the ids of the previous run's hotspots (largest overlap wins; splits and merges recorded),
 * and how statuses move (active -> cleared -> recurring).
 */
export const HOTSPOT_STATUSES = ['active', 'cleared', 'recurring'] as const;
export type HotspotStatus = (typeof HOTSPOT_STATUSES)[number];
/** A hotspot swallowed by a larger one in a merge: kept (links stay valid), never listed. */
export type StoredHotspotStatus = HotspotStatus | 'merged';

/** Dumping again within this many days of a clean-up makes a hotspot `recurring`. */
export const RECURRING_WITHIN_DAYS = 60;
/** The hull is the members' convex hull grown by this much, so the dump's edge is inside it. */
export const HULL_BUFFER_M = 15;

/** Weights of the severity score; see `severity()` and the README's Hotspots section. */
export const SEVERITY = {
  volumePerLogM3: 10,
  perReport: 2,
  perHazardous: 8,
  perIncident: 4,
  perConfirmation: 1,
  recencyHalfLifeDays: 14,
  recencyFloor: 0.1,
  perRecurrence: 0.5,
  maxRepeatFactor: 3,
} as const;

export interface SeverityInput {
  volumeM3: number;
  reports: number;
  hazardous: number;
  /** CCTV-confirmed incidents (reports whose source is `cctv`). */
  incidents: number;
  confirmations: number;
  lastSeenAt: Date;
  /** How many times dumping came back after a clean-up. */
  recurrences: number;
}

/**
 * severity = (10·ln(1 + volume m³) + 2·reports + 8·hazardous reports + 4·CCTV incidents + 1·confirmations)
 *            × recency × repeat, rounded to 0.1, where
 *   recency = max(0.1, 0.5^(days since last seen / 14))      (halves every two weeks of quiet)
 *   repeat  = min(3, 1 + 0.5·recurrences)                    (dumping again after a clean-up)
 */
export function severity(input: SeverityInput, now: Date = new Date()): number {
  const s = SEVERITY;
  const base =
    s.volumePerLogM3 * Math.log1p(Math.max(0, input.volumeM3)) +
    s.perReport * input.reports +
    s.perHazardous * input.hazardous +
    s.perIncident * input.incidents +
    s.perConfirmation * input.confirmations;
  const days = Math.max(0, (now.getTime() - input.lastSeenAt.getTime()) / 86_400_000);
  const recency = Math.max(s.recencyFloor, 0.5 ** (days / s.recencyHalfLifeDays));
  const repeat = Math.min(s.maxRepeatFactor, 1 + s.perRecurrence * input.recurrences);
  return Math.round(base * recency * repeat * 10) / 10;
}

/** A previous hotspot as the matcher sees it. */
export interface PreviousHotspot {
  id: string;
  status: StoredHotspotStatus;
  clearedAt: Date | null;
  recurrences: number;
}

/** Area shared by a new cluster's hull and a previous hotspot's hull (m², > 0). */
export interface Overlap {
  cluster: number;
  hotspotId: string;
  area: number;
}

export type HistoryEvent =
  | { event: 'created'; hotspot: 'new'; cluster: number }
  | { event: 'split'; cluster: number; from: string }
  | { event: 'merged'; hotspotId: string; into: number }
  | { event: 'status'; hotspotId: string; from: StoredHotspotStatus; to: StoredHotspotStatus };

export interface ClusterIdentity {
  cluster: number;
  /** The previous hotspot whose id this cluster keeps; null = a new hotspot. */
  keeps: string | null;
  status: HotspotStatus;
  recurrences: number;
  clearedAt: Date | null;
}

export interface MatchResult {
  clusters: ClusterIdentity[];
  /** Previous hotspots no cluster kept: cleared now, or merged into a cluster that kept another id. */
  cleared: string[];
  merged: { hotspotId: string; into: number }[];
  history: HistoryEvent[];
}

/**
 * Gives each new cluster an identity. Pairs are taken by overlap area, largest first; each cluster and
 * each previous hotspot is used once. A cluster that overlaps an already-taken hotspot is a split of it;
 * a hotspot that overlaps only clusters that kept other ids was merged into the largest of them. A
 * previous active/recurring hotspot that no cluster overlaps has had all its reports closed: cleared. A
 * cleared hotspot that a cluster picks up again recurs when the clean-up was at most 60 days ago.
 */
export function matchClusters(clusterIds: number[], previous: PreviousHotspot[], overlaps: Overlap[], now: Date = new Date()): MatchResult {
  const byId = new Map(previous.filter((p) => p.status !== 'merged').map((p) => [p.id, p]));
  const pairs = overlaps.filter((o) => o.area > 0 && byId.has(o.hotspotId)).sort((a, b) => b.area - a.area || a.cluster - b.cluster || a.hotspotId.localeCompare(b.hotspotId));
  const keeps = new Map<number, string>();
  const taken = new Set<string>();
  for (const o of pairs) {
    if (keeps.has(o.cluster) || taken.has(o.hotspotId)) continue;
    keeps.set(o.cluster, o.hotspotId);
    taken.add(o.hotspotId);
  }

  const history: HistoryEvent[] = [];
  const clusters: ClusterIdentity[] = clusterIds.map((cluster) => {
    const kept = keeps.get(cluster);
    if (!kept) {
      const parent = pairs.find((o) => o.cluster === cluster);
      history.push(parent ? { event: 'split', cluster, from: parent.hotspotId } : { event: 'created', hotspot: 'new', cluster });
      return { cluster, keeps: null, status: 'active', recurrences: 0, clearedAt: null };
    }
    const prev = byId.get(kept)!;
    if (prev.status !== 'cleared') return { cluster, keeps: kept, status: prev.status as HotspotStatus, recurrences: prev.recurrences, clearedAt: prev.clearedAt };
    const recurs = prev.clearedAt !== null && now.getTime() - prev.clearedAt.getTime() <= RECURRING_WITHIN_DAYS * 86_400_000;
    const status: HotspotStatus = recurs ? 'recurring' : 'active';
    history.push({ event: 'status', hotspotId: kept, from: 'cleared', to: status });
    return { cluster, keeps: kept, status, recurrences: prev.recurrences + (recurs ? 1 : 0), clearedAt: prev.clearedAt };
  });

  const merged: MatchResult['merged'] = [];
  const cleared: string[] = [];
  for (const prev of byId.values()) {
    if (taken.has(prev.id)) continue;
    const into = pairs.find((o) => o.hotspotId === prev.id);
    if (into) {
      merged.push({ hotspotId: prev.id, into: into.cluster });
      history.push({ event: 'merged', hotspotId: prev.id, into: into.cluster });
    } else if (prev.status !== 'cleared') {
      cleared.push(prev.id);
      history.push({ event: 'status', hotspotId: prev.id, from: prev.status, to: 'cleared' });
    }
  }
  return { clusters, cleared, merged, history };
}

/**
 * The debounce key of a recluster: one run per city per minute bucket. A change schedules the run for
 * the end of its bucket; every change of that minute lands on the same job id, so it runs once and sees
 * all of them.
 */
export function reclusterSlot(cityId: string, now: number, bucketMs = 60_000): { jobId: string; delay: number } {
  const bucket = Math.floor(now / bucketMs);
  return { jobId: `recluster-${cityId}-${bucket}`, delay: (bucket + 1) * bucketMs - now };
}
