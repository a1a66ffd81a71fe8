import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { canManageCity, canReadCity, readableCitiesOf, type UserPrincipal } from '../../accounts/src/index.js';
import { AppConfig } from '../../core/src/index.js';
import { CamerasService, IncidentsService } from '../../incidents/src/index.js';
import { HotspotsService } from '../../hotspots/src/index.js';
import { ReportsService, SIZE_VOLUME_M3, type Upload } from '../../reports/src/index.js';
import { CrewsRepository, type CrewInput, type CrewRow } from './crews.repository.js';
import { DispatchErrors } from './dispatch.errors.js';
import { planRoute } from './route-planner.js';
import { SlaRepository } from './sla.repository.js';
import { allowedWorkOrderActions, refusal, SLA_DEFAULTS, workOrderPriority, type WorkOrderAction, type WorkOrderStatus } from './work-order-rules.js';
import { WorkOrdersRepository, type WorkOrderRow } from './work-orders.repository.js';

export interface NewWorkOrder {
  reportIds?: string[];
  hotspotId?: string | null;
  scheduledFor?: string;
  crewId?: string | null;
  title?: string;
}

const QUEUE_LIMIT = 200;

/** Crews, work orders, routes, the dispatcher's queue and SLA flags, each scoped to the caller's city. */
@Injectable()
export class DispatchService {
  private readonly logger = new Logger(DispatchService.name);

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(CrewsRepository) private readonly crews: CrewsRepository,
    @Inject(WorkOrdersRepository) private readonly orders: WorkOrdersRepository,
    @Inject(SlaRepository) private readonly sla: SlaRepository,
    @Inject(ReportsService) private readonly reports: ReportsService,
    @Inject(IncidentsService) private readonly incidents: IncidentsService,
    @Inject(CamerasService) private readonly cameras: CamerasService,
    @Inject(HotspotsService) private readonly hotspots: HotspotsService,
  ) {}

  // ---- crews -------------------------------------------------------------------------------

  listCrews(p: UserPrincipal, cityId: string | undefined, activeOnly: boolean): Promise<CrewRow[]> {
    return this.crews.list(this.readScope(p, cityId), activeOnly);
  }

  async createCrew(p: UserPrincipal, cityId: string | undefined, input: CrewInput): Promise<CrewRow> {
    const city = this.manageScope(p, cityId);
    const id = await this.crews.insert(city, input);
    if (!id) throw DispatchErrors.field('name', 'a crew of this city already has this name');
    return (await this.crews.get(id))!;
  }

  async updateCrew(p: UserPrincipal, id: string, input: CrewInput): Promise<CrewRow> {
    const crew = await this.crews.get(id);
    if (!crew || (!canManageCity(p, crew.cityId) && p.role !== 'admin')) throw DispatchErrors.notFound('crew');
    if (!(await this.crews.update(id, input))) throw DispatchErrors.field('name', 'a crew of this city already has this name');
    return (await this.crews.get(id))!;
  }

  async addMember(p: UserPrincipal, crewId: string, userId: string): Promise<CrewRow> {
    const crew = await this.crews.get(crewId);
    if (!crew || (!canManageCity(p, crew.cityId) && p.role !== 'admin')) throw DispatchErrors.notFound('crew');
    if (!(await this.crews.linkMember(crewId, crew.cityId, userId))) throw DispatchErrors.notFound('user');
    return (await this.crews.get(crewId))!;
  }

  // ---- work orders ---------------------------------------------------------------------------

  /**
   * A dispatcher turns chosen reports (all in their city, open, in no other open order) into a work
   * order, or a hotspot: then the order takes all its open reports (plus any chosen ones) and its
   * severity raises the priority.
   */
  async createWorkOrder(p: UserPrincipal, input: NewWorkOrder): Promise<WorkOrderRow> {
    if (!input.hotspotId && !input.reportIds?.length) throw DispatchErrors.field('reportIds', 'choose at least one report');
    const id = await this.dataSource.transaction(async (m) => {
      const hotspot = input.hotspotId ? await this.hotspots.forWorkOrder(m, p, input.hotspotId) : null;
      if (input.hotspotId && (!hotspot || !canManageCity(p, hotspot.cityId))) throw DispatchErrors.field('hotspotId', `hotspot ${input.hotspotId} does not exist in your city`);
      const ids = [...new Set([...(input.reportIds ?? []), ...(hotspot?.reportIds ?? [])])];
      if (ids.length === 0) throw DispatchErrors.field('hotspotId', 'this hotspot has no open reports left that no other work order holds');
      const found = await this.orders.candidates(m, ids);
      const visible = found.filter((r) => canManageCity(p, r.cityId, r.districtId));
      const missing = ids.find((x) => !visible.some((r) => r.id === x));
      if (missing) throw DispatchErrors.field('reportIds', `report ${missing} does not exist in your city`);
      const cityId = visible[0].cityId;
      if (visible.some((r) => r.cityId !== cityId)) throw DispatchErrors.field('reportIds', 'all reports must be in one city');
      const closed = visible.find((r) => !['submitted', 'registered', 'in_progress'].includes(r.status));
      if (closed) throw DispatchErrors.field('reportIds', `report ${closed.id} is ${closed.status.replace('_', ' ')}; only open reports can be dispatched`);
      const taken = await this.orders.activeOrders(m, ids);
      if (taken.length) throw DispatchErrors.busy(taken[0].reportId, taken[0].workOrderId);
      if (input.crewId) await this.crewOfCity(input.crewId, cityId);
      const volume = visible.reduce((sum, r) => sum + SIZE_VOLUME_M3[r.size], 0);
      const created = await this.orders.insert(m, {
        cityId,
        hotspotId: input.hotspotId ?? null,
        title: input.title?.trim() || `${hotspot ? 'Hotspot: ' : ''}${visible.length} report${visible.length === 1 ? '' : 's'}, ~${volume.toFixed(1)} m³`,
        priority: workOrderPriority({
          followUp: false,
          oldestReportAgeHours: Math.max(...visible.map((r) => Number(r.ageHours))),
          hazardousReports: visible.filter((r) => r.hazardous).length,
          hotspotSeverity: hotspot?.severity ?? null,
        }),
        scheduledFor: input.scheduledFor ?? (await this.today(cityId)),
        crewId: input.crewId ?? null,
        reportIds: ids,
        estimatedVolume: volume,
        createdBy: p.userId,
      });
      await this.orders.insertHistory(m, created!, { event: 'created', from: null, to: 'planned', actorId: p.userId, actorRole: p.role, note: `${ids.length} report(s)${hotspot ? ` from hotspot ${input.hotspotId}` : ''}` });
      return created!;
    });
    return (await this.orders.get(id))!;
  }

  async get(p: UserPrincipal, id: string) {
    const order = await this.orderFor(p, id, 'read');
    return { ...order, allowedActions: allowedWorkOrderActions(order.status), history: await this.orders.history(id) };
  }

  list(p: UserPrincipal, f: { cityId?: string; date?: string; crewId?: string; status?: WorkOrderStatus; limit?: number }) {
    return this.orders.list({ cityIds: this.readScope(p, f.cityId), date: f.date, crewId: f.crewId, status: f.status, limit: f.limit ?? 100 });
  }

  async assign(p: UserPrincipal, id: string, crewId: string, scheduledFor: string | undefined): Promise<WorkOrderRow> {
    return this.move(p, id, 'assign', async (m, o) => {
      const crew = await this.crewOfCity(crewId, o.cityId);
      if (!crew.active) throw DispatchErrors.field('crewId', 'this crew is inactive');
      await this.orders.update(m, id, { crew_id: crewId, ...(scheduledFor ? { scheduled_for: scheduledFor } : {}) });
      return { to: o.status, note: `crew ${crew.name}${scheduledFor ? ` on ${scheduledFor}` : ''}` };
    });
  }

  /** The crew (or the dispatcher) starts the order: its reports go to `in_progress`. */
  async start(p: UserPrincipal, id: string): Promise<WorkOrderRow> {
    return this.move(p, id, 'start', async (m, o) => {
      if (!o.crewId) throw DispatchErrors.field('crewId', 'assign a crew before starting');
      await this.orders.update(m, id, { status: 'in_progress', started_at: new Date() });
      await this.reports.advanceForWorkOrder(m, o.reports.map((r) => r.id), 'start', p, { workOrderId: id, note: `work order: ${o.title}` });
      return { to: 'in_progress', note: null };
    });
  }

  /**
   * Completing needs an "after" photo and the removed volume; the reports become `resolved` (their
   * residents' rating window opens) with the photos and the crew's note.
   */
  async complete(p: UserPrincipal, id: string, input: { note?: string; removedVolumeM3?: number; photos: Upload[] }): Promise<WorkOrderRow> {
    const peek = await this.orderFor(p, id, 'work');
    if (refusal(peek.status, 'complete')) throw DispatchErrors.transition(peek.status, 'completed', allowedWorkOrderActions(peek.status));
    if (input.removedVolumeM3 === undefined) throw DispatchErrors.field('removedVolumeM3', 'the removed volume estimate (m³) is required');
    if (!input.photos.length) throw DispatchErrors.field('photos', 'at least one "after" photo is required');
    const note = input.note?.trim() || 'cleaned up';
    const { media, discard } = await this.reports.storeAfterPhotos(input.photos, peek.location);
    try {
      return await this.move(p, id, 'complete', async (m, o) => {
        await this.orders.update(m, id, { status: 'done', completed_at: new Date(), removed_volume_m3: input.removedVolumeM3, completion_note: note });
        await this.reports.advanceForWorkOrder(m, o.reports.map((r) => r.id), 'resolve', p, { workOrderId: id, note, media });
        if (o.hotspotId) await this.hotspots.markCleared(m, o.hotspotId, id);
        return { to: 'done', note: `${input.removedVolumeM3} m³ removed: ${note}` };
      });
    } catch (err) {
      await discard();
      throw err;
    }
  }

  async cancel(p: UserPrincipal, id: string, reason: string | undefined): Promise<WorkOrderRow> {
    if (!reason?.trim()) throw DispatchErrors.field('reason', 'a reason is required to cancel a work order');
    return this.move(p, id, 'cancel', async (m) => {
      await this.orders.update(m, id, { status: 'cancelled', cancelled_at: new Date(), cancel_reason: reason.trim() });
      return { to: 'cancelled', note: reason.trim() };
    });
  }

  /**
   * The job after a resident's low rating: the report's last finished order comes back as a follow-up
   * (same crew, scheduled today, top priority). Keyed on the report's return count, so it runs once.
   */
  async followUp(reportId: string, reopenCount: number): Promise<string | null> {
    return this.dataSource.transaction(async (m) => {
      const last = await this.orders.lastDoneOrderOf(m, reportId);
      if (!last) return null;
      if ((await this.orders.activeOrders(m, [reportId])).length) return null;
      const id = await this.orders.insert(m, {
        cityId: last.cityId,
        hotspotId: last.hotspotId,
        title: `Follow-up: ${last.title}`.slice(0, 200),
        priority: workOrderPriority({ followUp: true, oldestReportAgeHours: 0, hazardousReports: 0 }),
        scheduledFor: await this.today(last.cityId),
        crewId: last.crewId,
        reportIds: [reportId],
        estimatedVolume: 0,
        createdBy: null,
        followUpOf: last.id,
        followUpKey: `${reportId}:${reopenCount}`,
      });
      if (id) {
        await this.orders.insertHistory(m, id, { event: 'follow_up', from: null, to: 'planned', actorId: null, actorRole: 'system', note: `report ${reportId} returned by a low rating (return ${reopenCount})` });
        this.logger.log({ msg: 'follow-up work order opened', workOrderId: id, reportId, reopenCount });
      }
      return id;
    });
  }

  // ---- the day's route -----------------------------------------------------------------------

  /** A crew's orders for a day in route order from the depot, with distances and a geo: link per stop. */
  async crewDay(p: UserPrincipal, crewId: string | undefined, date: string | undefined) {
    const id = p.role === 'crew' ? await this.crews.crewOfUser(p.userId) : crewId;
    if (!id) throw p.role === 'crew' ? DispatchErrors.notFound('crew') : DispatchErrors.field('crewId', 'choose a crew');
    const crew = await this.crews.get(id);
    if (!crew || (p.role !== 'crew' && !canReadCity(p, crew.cityId)) || (p.role === 'crew' && crewId && crewId !== id)) throw DispatchErrors.notFound('crew');
    const day = date ?? (await this.today(crew.cityId));
    const all = await this.orders.list({ cityIds: [crew.cityId], date: day, crewId: id, limit: 500 });
    const open = all.filter((o) => o.status === 'planned' || o.status === 'in_progress');
    const route = planRoute(crew.depot, open.map((o) => ({ id: o.id, lon: o.location.lon, lat: o.location.lat, volume: o.estimatedVolumeM3 })), crew.capacityM3);
    const byId = new Map(open.map((o) => [o.id, o]));
    return {
      crew: { id: crew.id, name: crew.name, capacityM3: crew.capacityM3, depot: crew.depot },
      date: day,
      totalDistanceMetres: Math.round(route.totalDistance),
      unloads: route.unloads,
      stops: route.legs.map((leg, i) => ({
        sequence: i + 1,
        kind: leg.kind,
        workOrder: leg.stopId ? summary(byId.get(leg.stopId)!) : null,
        lon: leg.lon,
        lat: leg.lat,
        distanceMetres: Math.round(leg.distance),
        loadM3: Math.round(leg.load * 100) / 100,
        navigate: `geo:${leg.lat.toFixed(6)},${leg.lon.toFixed(6)}`,
      })),
      done: all.filter((o) => o.status === 'done').map(summary),
    };
  }

  // ---- the queue and SLA ---------------------------------------------------------------------

  /** What needs a dispatcher's decision now. Incidents to review join when CCTV ingest lands. */
  async queue(p: UserPrincipal, cityId: string | undefined) {
    const city = this.oneCity(p, cityId);
    const [reports, overdue, planned, incidentsToReview, offlineCameras] = await Promise.all([
      this.orders.queueReports(city, QUEUE_LIMIT),
      this.sla.open(city, QUEUE_LIMIT),
      this.orders.list({ cityIds: [city], status: 'planned', limit: QUEUE_LIMIT }),
      this.incidents.reviewQueue(city, QUEUE_LIMIT),
      this.cameras.offlineIn(city),
    ]);
    return {
      cityId: city,
      toRegister: reports.filter((r) => r.kind === 'to_register'),
      reopened: reports.filter((r) => r.kind === 'reopened'),
      followUps: planned.filter((o) => o.followUpOf).map(summary),
      overdue,
      // CCTV: incidents below their camera's auto-confirm confidence wait here for confirm / dismiss.
      incidentsToReview,
      offlineCameras,
    };
  }

  /** The overdue list an akim (or dispatcher) watches. */
  overdue(p: UserPrincipal, cityId: string | undefined) {
    return this.sla.open(this.oneCity(p, cityId), QUEUE_LIMIT);
  }

  scanSla(now = new Date(), cityId: string | null = null): Promise<number> {
    return this.sla.scan(now, SLA_DEFAULTS, cityId);
  }

  // ---- demo ------------------------------------------------------------------------------------

  /** Two crews per demo city and a crew account `crew.<city>@taza.example` on the first. */
  async loadDemoCrews(createCrewAccount: (cityId: string, email: string, name: string) => Promise<void>): Promise<number> {
    if (!this.config.DEMO_DATA) return 0;
    let created = 0;
    for (const [slug, depot] of Object.entries(DEMO_DEPOTS)) {
      const cityId = await this.crews.cityIdBySlug(slug);
      if (!cityId) continue;
      const city = slug[0].toUpperCase() + slug.slice(1);
      const first = await this.crews.insert(cityId, { name: `${city} crew 1`, capacityM3: 8, depot, shiftStart: '08:00', shiftEnd: '18:00', active: true });
      await this.crews.insert(cityId, { name: `${city} crew 2`, capacityM3: 16, depot, shiftStart: '08:00', shiftEnd: '18:00', active: true });
      if (!first) continue;
      created += 2;
      const email = `crew.${slug}@taza.example`;
      await createCrewAccount(cityId, email, `${city} crew 1`);
      const userId = await this.crews.userIdByEmail(email);
      if (userId) await this.crews.linkMember(first, cityId, userId);
    }
    return created;
  }

  // ---- helpers -------------------------------------------------------------------------------

  private async move(
    p: UserPrincipal,
    id: string,
    action: WorkOrderAction,
    effect: (m: EntityManager, o: WorkOrderRow) => Promise<{ to: WorkOrderStatus; note: string | null }>,
  ): Promise<WorkOrderRow> {
    await this.orderFor(p, id, action === 'start' || action === 'complete' ? 'work' : 'manage');
    await this.dataSource.transaction(async (m) => {
      const o = (await this.orders.get(id, m, true))!;
      const past = refusal(o.status, action);
      if (past) throw DispatchErrors.transition(o.status, past, allowedWorkOrderActions(o.status));
      const { to, note } = await effect(m, o);
      await this.orders.insertHistory(m, id, { event: action, from: o.status, to, actorId: p.userId, actorRole: p.role, note });
    });
    return (await this.orders.get(id))!;
  }

  /**
   * 404 unless the caller may: `read` = staff of its city or its crew; `work` (start, complete) = a
   * dispatcher of its city or its crew; `manage` (assign, cancel) = a dispatcher of its city.
   */
  private async orderFor(p: UserPrincipal, id: string, intent: 'read' | 'work' | 'manage'): Promise<WorkOrderRow> {
    const o = await this.orders.get(id);
    if (!o) throw DispatchErrors.notFound('work order');
    const allowed =
      p.role === 'crew'
        ? intent !== 'manage' && o.crewId !== null && o.crewId === (await this.crews.crewOfUser(p.userId))
        : intent === 'read'
          ? canReadCity(p, o.cityId)
          : canManageCity(p, o.cityId);
    if (!allowed) throw DispatchErrors.notFound('work order');
    return o;
  }

  private async crewOfCity(crewId: string, cityId: string): Promise<CrewRow> {
    const crew = await this.crews.get(crewId);
    if (!crew || crew.cityId !== cityId) throw DispatchErrors.field('crewId', 'no crew with this id in the work order\'s city');
    return crew;
  }

  private today(cityId: string): Promise<string> {
    return this.dataSource
      .query(`SELECT to_char((now() AT TIME ZONE timezone)::date, 'YYYY-MM-DD') AS d FROM cities WHERE id = $1`, [cityId])
      .then((rows: { d: string }[]) => rows[0].d);
  }

  /** Cities the caller reads, narrowed by the `cityId` asked for (another city's id reads nothing). */
  private readScope(p: UserPrincipal, cityId: string | undefined): string[] | null {
    return readableCitiesOf(p, cityId);
  }

  private oneCity(p: UserPrincipal, cityId: string | undefined): string {
    const city = cityId ?? p.cityId;
    if (!city) throw DispatchErrors.field('cityId', 'choose a city');
    if (!canReadCity(p, city)) throw DispatchErrors.notFound('crew');
    return city;
  }

  private manageScope(p: UserPrincipal, cityId: string | undefined): string {
    if (p.role === 'admin') {
      if (!cityId) throw DispatchErrors.field('cityId', 'choose a city');
      return cityId;
    }
    const city = cityId ?? p.cityId;
    if (!city || !canManageCity(p, city)) throw DispatchErrors.field('cityId', 'you can only manage crews of your own city');
    return city;
  }
}

function summary(o: WorkOrderRow) {
  return { id: o.id, title: o.title, status: o.status, priority: o.priority, scheduledFor: o.scheduledFor, crewId: o.crewId, location: o.location, estimatedVolumeM3: o.estimatedVolumeM3, reports: o.reports.length, followUpOf: o.followUpOf };
}

/** Depots near each demo city's centre (the sanitation yards are not public data; plausible points). */
const DEMO_DEPOTS: Record<string, { lon: number; lat: number }> = {
  almaty: { lon: 76.945, lat: 43.238 },
  astana: { lon: 71.43, lat: 51.13 },
  kostanay: { lon: 63.62, lat: 53.21 },
  zhezkazgan: { lon: 67.71, lat: 47.79 },
};
