import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { canReadCity, readableCities, type UserPrincipal } from '../../accounts/src/index.js';
import { AppConfig, JOB_QUEUE, QueueRegistry, type Feature, type FeatureCollection, type Geometry, type JobPayloads } from '../../core/src/index.js';
import { DEMO_CITIES } from '../../cities/src/index.js';
import { DEMO_CLEANED_PILES, DEMO_MARK, DEMO_PILES } from './hotspots-demo.js';
import { HotspotErrors } from './hotspots.errors.js';
import { matchClusters, reclusterSlot, severity, type HotspotStatus } from './hotspot-rules.js';
import { HotspotsRepository, type ClusterWrite, type HotspotRow, type RunCounts } from './hotspots.repository.js';

/** The suggested camera: an outdoor camera with IR reach of 250 m and a lens of one of these fields of view (narrowest that covers). */
export const SUGGESTED_CAMERA = { fovsDeg: [60, 90, 120], rangeM: 250 } as const;

export interface HotspotQuery {
  cityId?: string;
  bbox?: [number, number, number, number];
  status?: HotspotStatus;
  outskirtsOnly?: boolean;
  limit?: number;
}

export interface RunResult extends RunCounts {
  runId: string;
  cityId: string;
  /** Where the run's time went (ms), for the log and the benchmark. */
  stepsMs?: Record<string, number>;
  skipped?: 'already_finished';
}

type Recluster = JobPayloads['hotspots.recluster'];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Hotspots: the clustering run, the debounce of triggers, the reads and the dispatch hooks. */
@Injectable()
export class HotspotsService {
  private readonly logger = new Logger(HotspotsService.name);

  constructor(
    @Inject(HotspotsRepository) private readonly repo: HotspotsRepository,
    @Inject(QueueRegistry) private readonly queues: QueueRegistry,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  // ---- jobs ----------------------------------------------------------------------------------

  /**
   * A change of reports (or incidents) asks for a recluster of its city: one delayed job per city per
   * HOTSPOT_DEBOUNCE_MS (a minute) bucket (job id `recluster-<city>-<bucket>`), so a burst of changes causes one run.
   */
  async requestRecluster(data: Recluster, now = Date.now()): Promise<string> {
    const slot = reclusterSlot(data.cityId, now, this.config.HOTSPOT_DEBOUNCE_MS);
    await this.queues
      .get(JOB_QUEUE['hotspots.recluster'])
      .add('hotspots.recluster', { cityId: data.cityId, reason: data.reason, debounced: true } satisfies Recluster, { jobId: slot.jobId, delay: slot.delay });
    return slot.jobId;
  }

  /** The nightly job: one run per city, keyed on the day so a repeated trigger adds nothing. */
  async scheduleNightly(now = new Date()): Promise<number> {
    const day = now.toISOString().slice(0, 10);
    const cities = await this.repo.cityIds();
    await this.queues
      .get(JOB_QUEUE['hotspots.recluster'])
      .addBulk(cities.map((cityId) => ({ name: 'hotspots.recluster', data: { cityId, reason: 'nightly' } satisfies Recluster, opts: { jobId: `nightly-${cityId}-${day}` } })));
    return cities.length;
  }

  /** The job handler: a trigger from the outbox is debounced; a debounced, nightly or manual job runs. */
  async handleRecluster(data: Recluster, jobId: string | undefined): Promise<RunResult | string> {
    if (!UUID.test(data.cityId) || !(await this.repo.settings(data.cityId))) {
      this.logger.warn({ msg: 'recluster asked for a city that does not exist; nothing to do', cityId: data.cityId });
      return 'no such city';
    }
    if ((data.reason === 'report' || data.reason === 'incident') && !data.debounced) return this.requestRecluster(data);
    return this.recluster(data.cityId, data.reason, jobId ?? `manual-${randomUUID()}`);
  }

  /**
   * One clustering run of a city. Idempotent: keyed on the run id (a finished run is not repeated), and
   * everything it writes commits in one transaction, after the city's advisory lock, so two runs of a
   * city never interleave and a run that dies changes nothing.
   */
  async recluster(cityId: string, reason: Recluster['reason'] = 'manual', runId = `manual-${randomUUID()}`, now = new Date()): Promise<RunResult> {
    const started = Date.now();
    const empty: RunCounts = { points: 0, clusters: 0, noise: 0, created: 0, kept: 0, cleared: 0, recurring: 0, splits: 0, merges: 0 };
    if ((await this.repo.startRun(runId, cityId, reason)).finished) return { runId, cityId, ...empty, skipped: 'already_finished' };
    const result = await this.repo.transaction(async (m) => {
      if ((await this.repo.lockCity(m, cityId, runId)).finished) return { runId, cityId, ...empty, skipped: 'already_finished' as const };
      const settings = await this.repo.settings(cityId, m);
      if (!settings) throw HotspotErrors.notFound();
      const previous = await this.repo.previous(m, cityId);
      const t0 = Date.now();
      const { clusters, points, noise } = await this.repo.cluster(m, cityId, settings);
      const t1 = Date.now();
      const overlaps = await this.repo.overlaps(m, cityId);
      const t2 = Date.now();
      const match = matchClusters(clusters.map((c) => c.cluster), previous, overlaps, now);
      const byCluster = new Map(clusters.map((c) => [c.cluster, c]));
      const writes: ClusterWrite[] = match.clusters.map((c) => {
        const agg = byCluster.get(c.cluster)!;
        return {
          cluster: c.cluster,
          id: c.keeps ?? randomUUID(),
          status: c.status,
          recurrences: c.recurrences,
          clearedAt: c.clearedAt,
          severity: severity({ volumeM3: agg.volumeM3, reports: agg.reports, hazardous: agg.hazardous, incidents: agg.incidents, confirmations: agg.confirmations, lastSeenAt: new Date(agg.lastSeenAt), recurrences: c.recurrences }, now),
        };
      });
      const idOf = new Map(writes.map((w) => [w.cluster, w.id]));
      const t3 = Date.now();
      await this.repo.write(m, cityId, runId, writes, match.merged.map((x) => ({ hotspotId: x.hotspotId, intoId: idOf.get(x.into)! })), match.cleared);
      const t4 = Date.now();
      await this.repo.insertHistory(
        m,
        runId,
        match.history.map((e) => {
          switch (e.event) {
            case 'created':
              return { hotspotId: idOf.get(e.cluster)!, event: 'created', to: 'active' };
            case 'split':
              return { hotspotId: idOf.get(e.cluster)!, event: 'split', to: 'active', otherId: e.from, note: `split off hotspot ${e.from}` };
            case 'merged':
              return { hotspotId: e.hotspotId, event: 'merged', to: 'merged', otherId: idOf.get(e.into)!, note: `merged into hotspot ${idOf.get(e.into)}` };
            case 'status':
              return { hotspotId: e.hotspotId, event: 'status', from: e.from, to: e.to };
          }
        }),
      );
      const counts: RunCounts = {
        points,
        noise,
        clusters: clusters.length,
        created: match.clusters.filter((c) => !c.keeps).length,
        kept: match.clusters.filter((c) => c.keeps).length,
        cleared: match.cleared.length,
        recurring: match.history.filter((e) => e.event === 'status' && e.to === 'recurring').length,
        splits: match.history.filter((e) => e.event === 'split').length,
        merges: match.merged.length,
      };
      await this.repo.finishRun(m, runId, counts);
      return { runId, cityId, ...counts, stepsMs: { cluster: t1 - t0, overlaps: t2 - t1, match: t3 - t2, write: t4 - t3, history: Date.now() - t4 } };
    });
    this.logger.log({ msg: 'hotspots reclustered', ...result, reason, ms: Date.now() - started });
    return result;
  }

  updateSettings(cityId: string, s: { epsM?: number; minPoints?: number; windowDays?: number }): Promise<void> {
    return this.repo.updateSettings(cityId, s);
  }

  // ---- demo ----------------------------------------------------------------------------------

  /**
   * A few hundred reports per demo city, most piling up on the outskirts, clustered at the end. Two piles
   * were cleaned up earlier and dumping came back, so the demo has recurring hotspots and camera
   * suggestions. A second load adds nothing.
   */
  async loadDemoReports(): Promise<{ reports: number; hotspots: number }> {
    const out = { reports: 0, hotspots: 0 };
    if (!this.config.DEMO_DATA || !this.config.DEMO_REPORTS) return out;
    for (const { slug } of DEMO_CITIES) {
      const cityId = await this.repo.cityIdBySlug(slug);
      if (!cityId || (await this.repo.hasDemoReports(cityId, DEMO_MARK))) continue;
      // The history first: reports of 70-85 days ago form hotspots, then are cleaned up (closed).
      const old = await this.repo.insertDemoReports(cityId, DEMO_CLEANED_PILES, 'registered', DEMO_MARK);
      await this.recluster(cityId, 'manual', `demo-${slug}-history`);
      await this.repo.closeDemoReports(cityId, DEMO_MARK);
      await this.recluster(cityId, 'manual', `demo-${slug}-cleanup`);
      out.reports += old + (await this.repo.insertDemoReports(cityId, DEMO_PILES, 'registered', DEMO_MARK));
      const run = await this.recluster(cityId, 'manual', `demo-${slug}`);
      out.hotspots += run.clusters;
    }
    return out;
  }

  // ---- reads ---------------------------------------------------------------------------------

  /**
   * GeoJSON, highest severity first. Staff who read the hotspot's city see every field; everyone else
   * sees the hull, the counts and the status.
   */
  async list(p: UserPrincipal | null, q: HotspotQuery): Promise<FeatureCollection> {
    const rows = await this.repo.list({ cityIds: q.cityId ? [q.cityId] : null, bbox: q.bbox, status: q.status, outskirtsOnly: q.outskirtsOnly, limit: q.limit ?? 500 });
    return { type: 'FeatureCollection', features: rows.map((h) => this.feature(h, p)) };
  }

  /** One hotspot: staff in scope also get its reports, incidents (CCTV) and history. Merged ones name their successor. */
  async get(p: UserPrincipal | null, id: string) {
    const h = await this.repo.get(id);
    if (!h) throw HotspotErrors.notFound();
    const f = this.feature(h, p);
    if (!inScope(p, h.cityId)) return f;
    const [all, history] = await Promise.all([this.repo.reportsOf(id), this.repo.history(id)]);
    return {
      ...f,
      properties: {
        ...f.properties,
        reports: all.filter((r) => r.source !== 'cctv'),
        incidents: all.filter((r) => r.source === 'cctv'),
        history,
      },
    };
  }

  /** Where the city's next cameras should go (staff of the city). */
  async cameraSuggestions(p: UserPrincipal, cityId: string | undefined, limit = 20) {
    const city = cityId ?? p.cityId;
    if (!city) throw HotspotErrors.field('cityId', 'choose a city');
    if (!canReadCity(p, city)) throw HotspotErrors.notFound('city');
    const rows = await this.repo.cameraSuggestions(city, limit, SUGGESTED_CAMERA);
    return { cityId: city, camera: SUGGESTED_CAMERA, suggestions: rows.map((r: Record<string, unknown>, i: number) => ({ rank: i + 1, ...r })) };
  }

  // ---- dispatch hooks ------------------------------------------------------------------------

  /** The hotspot a work order is made from, if the dispatcher's city holds it, with its open reports. */
  async forWorkOrder(m: EntityManager, p: UserPrincipal, id: string): Promise<{ cityId: string; severity: number; reportIds: string[] } | null> {
    const h = await this.repo.get(id, m);
    if (!h || h.status === 'merged' || readableCities(p)?.includes(h.cityId) === false) return null;
    return { cityId: h.cityId, severity: h.severity, reportIds: await this.repo.openReportIds(m, id) };
  }

  /** Completing a work order made from a hotspot clears it (in the completion's transaction). */
  markCleared(m: EntityManager, id: string, workOrderId: string): Promise<boolean> {
    return this.repo.markCleared(m, id, `work order ${workOrderId} completed`);
  }

  private feature(h: HotspotRow, p: UserPrincipal | null): Feature<Geometry, Record<string, unknown>> {
    const publicProps = { id: h.id, cityId: h.cityId, status: h.status, reportCount: h.reportCount, incidentCount: h.incidentCount, confirmationCount: h.confirmationCount };
    const props = inScope(p, h.cityId)
      ? {
          ...publicProps,
          severity: h.severity,
          volumeM3: h.volumeM3,
          hazardousCount: h.hazardousCount,
          centroid: h.centroid,
          firstSeenAt: h.firstSeenAt,
          lastSeenAt: h.lastSeenAt,
          outskirts: h.outskirts,
          coveredByCamera: h.coveredByCamera,
          recurrences: h.recurrences,
          clearedAt: h.clearedAt,
          mergedInto: h.mergedInto,
          updatedAt: h.updatedAt,
        }
      : publicProps;
    return { type: 'Feature', id: h.id, geometry: h.hull as Geometry, properties: props };
  }
}

/** Staff who read the city (dispatchers of it, its akim or a national one, admins). */
function inScope(p: UserPrincipal | null, cityId: string): boolean {
  return p !== null && p.role !== 'resident' && p.role !== 'crew' && canReadCity(p, cityId);
}
