import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { canManageCity, canReadCity, type Principal, type UserPrincipal } from '../../accounts/src/index.js';
import { metresBetween, OutboxRepository } from '../../core/src/index.js';
import { NotificationsService } from '../../notifications/src/index.js';
import { processPhoto, processVideo, sniffMedia, type MediaStorage } from '../../media/src/index.js';
import {
  applyRating,
  nextStatus,
  RATING_WINDOW_DAYS,
  TransitionRefused,
  type ReportStatus,
  type StaffAction,
} from './report-lifecycle.js';
import { reportFeature, reportView, type Audience } from './report-views.js';
import { ReportsErrors } from './reports.errors.js';
import { ReportsRepository, type IntakeOutcome, type ListFilter, type NewMedia, type ReportRow, type ReportSize } from './reports.repository.js';

export const MEDIA_STORAGE = Symbol('MEDIA_STORAGE');

export const MAX_PHOTOS = 5;
/** A photo whose own GPS lies farther than this from the pin gets a flag for the dispatcher. */
export const EXIF_FAR_METRES = 500;

const CREATE_MESSAGES = {
  created: 'Report received; the akimat of this district will register it.',
  joined: 'An open report of this kind already exists within 25 m; yours was added to it as a confirmation.',
};

export interface Upload {
  field: string;
  bytes: Buffer;
}

export interface CreateReportInput {
  lon: number;
  lat: number;
  category: string;
  size: ReportSize;
  wasteTypes?: string[];
  description?: string;
  contactEmail?: string;
  contactPhone?: string;
}

/** The report category a camera's detected class files under (a camera cannot tell household from bulky). */
export function reportCategoryOf(incidentClass: string): string {
  return incidentClass === 'fire' ? 'burning' : 'household';
}

export interface CameraReportInput {
  incidentId: string;
  cameraName: string;
  class: string;
  confidence: number;
  occurredAt: Date;
  lon: number;
  lat: number;
}

export interface Caller {
  principal: Principal | null;
  ip: string | null;
  requestId?: string | null;
  trackingToken?: string | null;
}

export interface CreateResult {
  statusCode: 200 | 201;
  body: {
    reportId: string;
    joined: boolean;
    status: ReportStatus;
    trackingToken?: string;
    message: string;
  };
}

function sha256(data: Buffer | string): Buffer {
  return createHash('sha256').update(data).digest();
}

/** Reports: intake (routing, merging, media), views by audience, the lifecycle and the rating loop. */
@Injectable()
export class ReportsService {
  private readonly logger = new Logger(ReportsService.name);

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(ReportsRepository) private readonly reports: ReportsRepository,
    @Inject(OutboxRepository) private readonly outbox: OutboxRepository,
    @Inject(MEDIA_STORAGE) private readonly storage: MediaStorage,
    @Inject(NotificationsService) private readonly notifications: NotificationsService,
  ) {}

  categories() {
    return this.reports.categories();
  }

  /**
   * Creates a report, or joins an open one of the same category within 25 m (30 days) as a
   * confirmation. Media is checked, cleaned and stored first; the database work is then one call of
   * taza_report_intake (one transaction). If it refuses or fails the files are removed, so a refused
   * request leaves nothing behind.
   */
  async create(
    input: CreateReportInput,
    uploads: Upload[],
    caller: Caller,
    options: { source: 'web' | 'open311' | 'telegram' | 'cctv'; idempotencyKey?: string | null; open311ClientId?: string | null },
  ): Promise<CreateResult> {
    const idemScope = options.idempotencyKey ? `reports.create:${caller.principal?.userId ?? options.open311ClientId ?? 'anonymous'}` : null;
    const requestHash = idemScope ? sha256(JSON.stringify({ input, files: uploads.map((u) => [u.field, sha256(u.bytes).toString('hex')]) })) : null;
    if (uploads.length) {
      // Files are costly to process: a repeated request, an unknown category or a point outside every
      // city is answered before they are touched. The intake function checks all three again.
      if (idemScope) {
        const earlier = await this.reports.idempotent(idemScope, options.idempotencyKey!);
        if (earlier) {
          if (!earlier.requestHash.equals(requestHash!)) throw intakeRefused('idempotency_mismatch');
          return { statusCode: earlier.statusCode as 200 | 201, body: earlier.response as CreateResult['body'] };
        }
      }
      if (!(await this.reports.activeCategory(input.category))) throw intakeRefused('unknown_category');
      if (!(await this.reports.route(input.lon, input.lat))) throw intakeRefused('outside_service_area');
    }

    const media = await this.prepareMedia(uploads, input);
    const stored: string[] = [];
    const removeStored = () => Promise.all(stored.splice(0).map((key) => this.storage.delete(key).catch(() => undefined)));
    try {
      await this.storeMedia(media, stored);
      const trackingToken = caller.principal ? undefined : randomBytes(24).toString('base64url');
      const outcome = await this.reports.intake({
        categoryCode: input.category,
        size: input.size,
        wasteTypes: [...new Set(input.wasteTypes ?? [])],
        description: (input.description ?? '').trim(),
        lon: input.lon,
        lat: input.lat,
        source: options.source,
        reporterId: caller.principal?.userId ?? null,
        actorRole: caller.principal?.role ?? 'anonymous',
        trackingTokenHash: trackingToken ? sha256(trackingToken) : null,
        contactEmail: input.contactEmail?.trim().toLowerCase() || null,
        contactPhone: input.contactPhone?.trim() || null,
        reporterIp: caller.ip,
        exifGpsFar: media.some((m) => m.far),
        open311ClientId: options.open311ClientId ?? null,
        media: media.map((m) => m.row),
        idempotency: idemScope ? { scope: idemScope, key: options.idempotencyKey!, requestHash: requestHash!, trackingToken, messages: CREATE_MESSAGES } : null,
      });
      if (outcome.outcome === 'refused') throw intakeRefused(outcome.reason);
      if (outcome.outcome === 'replayed') {
        // An earlier request with this key answered (it may have run at the same time); ours wrote nothing.
        await removeStored();
        return { statusCode: outcome.statusCode as 200 | 201, body: outcome.body as CreateResult['body'] };
      }
      const joined = outcome.outcome === 'joined';
      return {
        statusCode: joined ? 200 : 201,
        body: { reportId: outcome.reportId, joined, status: outcome.status, trackingToken, message: joined ? CREATE_MESSAGES.joined : CREATE_MESSAGES.created },
      };
    } catch (err) {
      await removeStored();
      throw err;
    }
  }

  /**
   * A confirmed CCTV incident becomes a report with source `cctv`, or joins an open report of the same
   * category within 25 m, by the same intake function as residents' reports (hotspots and dispatch see
   * it like any other). Runs in the caller's transaction; the incident id is the idempotency key, so a
   * retried conversion answers with the first report and writes nothing more. The camera's snapshot
   * is never attached: report media are public, snapshots may show plates and faces.
   */
  async intakeFromCamera(input: CameraReportInput, manager?: EntityManager): Promise<{ reportId: string; joined: boolean } | { refused: string }> {
    const outcome = await this.reports.intake(
      {
        categoryCode: reportCategoryOf(input.class),
        size: input.class === 'vehicle_unloading' ? 'car' : 'bag',
        wasteTypes: [],
        description: `CCTV: ${input.class.replace('_', ' ')} seen by camera "${input.cameraName}" at ${input.occurredAt.toISOString()} (confidence ${input.confidence.toFixed(2)}).`,
        lon: input.lon,
        lat: input.lat,
        source: 'cctv',
        reporterId: null,
        actorRole: 'camera',
        trackingTokenHash: null,
        contactEmail: null,
        contactPhone: null,
        reporterIp: null,
        exifGpsFar: false,
        open311ClientId: null,
        media: [],
        idempotency: { scope: 'cctv.incident', key: input.incidentId, requestHash: sha256(input.incidentId), messages: CREATE_MESSAGES },
      },
      manager,
    );
    if (outcome.outcome === 'refused') return { refused: outcome.reason };
    if (outcome.outcome === 'replayed') {
      const body = outcome.body as { reportId: string; joined: boolean };
      return { reportId: body.reportId, joined: body.joined };
    }
    return { reportId: outcome.reportId, joined: outcome.outcome === 'joined' };
  }

  /** Writes cleaned media and thumbnails; `stored` collects the keys so a failed request can remove them. */
  private async storeMedia(media: { row: NewMedia; data: Buffer; thumb: Buffer | null }[], stored: string[]): Promise<void> {
    for (const m of media) {
      await this.storage.put(m.row.storageKey, m.data, m.row.mime);
      stored.push(m.row.storageKey);
      if (m.thumb && m.row.thumbKey) {
        await this.storage.put(m.row.thumbKey, m.thumb, 'image/jpeg');
        stored.push(m.row.thumbKey);
      }
    }
  }

  private async prepareMedia(uploads: Upload[], pin: { lon: number; lat: number }, stage: 'before' | 'after' = 'before') {
    const sniffed = await Promise.all(uploads.map(async (u) => ({ upload: u, type: await sniffMedia(u.bytes) })));
    const videos = sniffed.filter((s) => s.type?.kind === 'video');
    const photos = sniffed.filter((s) => s.type?.kind !== 'video');
    if (videos.length > 1 || (videos.length === 1 && photos.length > 0)) {
      throw ReportsErrors.field(videos[0].upload.field, 'send 1 to 5 photos or one video, not both');
    }
    if (photos.length > MAX_PHOTOS) throw ReportsErrors.field('photos', `at most ${MAX_PHOTOS} photos`);
    const prepared: { row: NewMedia; data: Buffer; thumb: Buffer | null; far: boolean }[] = [];
    for (const { upload, type } of sniffed) {
      const id = randomUUID();
      if (type?.kind === 'video') {
        const video = processVideo(upload.bytes, upload.field);
        prepared.push({
          row: { id, kind: 'video', stage, storageKey: `media/${id}.mp4`, thumbKey: null, mime: video.mime, width: null, height: null, bytes: video.video.length, durationSeconds: video.durationSeconds },
          data: video.video,
          thumb: null,
          far: false,
        });
      } else {
        const photo = await processPhoto(upload.bytes, upload.field);
        prepared.push({
          row: { id, kind: 'photo', stage, storageKey: `media/${id}.jpg`, thumbKey: `media/${id}.thumb.jpg`, mime: photo.mime, width: photo.width, height: photo.height, bytes: photo.image.length, durationSeconds: null },
          data: photo.image,
          thumb: photo.thumbnail,
          far: photo.gps !== null && metresBetween(photo.gps, pin) > EXIF_FAR_METRES,
        });
      }
    }
    return prepared;
  }

  /** Who is looking: the reporter (account or tracking token), staff of the report's city, or the public. */
  async audienceFor(r: ReportRow, caller: Caller): Promise<Audience> {
    const p = caller.principal;
    if (p && p.kind === 'user' && p.role !== 'resident' && canReadCity(p, r.cityId)) return 'staff';
    if (p && p.kind === 'user' && (r.reporterId === p.userId || (await this.reports.confirmedBy(r.id, p.userId)))) return 'reporter';
    if (caller.trackingToken && (await this.reports.tokenMatches(r.id, sha256(caller.trackingToken)))) return 'reporter';
    return 'public';
  }

  async get(id: string, caller: Caller) {
    const r = await this.reports.get(id);
    if (!r) throw ReportsErrors.notFound();
    const audience = await this.audienceFor(r, caller);
    return reportView(r, await this.reports.media(id), audience);
  }

  async history(id: string, caller: Caller) {
    const r = await this.reports.get(id);
    if (!r) throw ReportsErrors.notFound();
    const audience = await this.audienceFor(r, caller);
    return (await this.reports.history(id)).map((h) => ({
      event: h.event,
      from: h.fromStatus,
      to: h.toStatus,
      actorRole: h.actorRole,
      // Staff notes and residents' comments are for the reporter and the akimat, not the public.
      note: audience === 'public' && h.event !== 'status' ? null : h.note,
      at: h.at,
    }));
  }

  async nearby(lon: number, lat: number) {
    const rows = await this.reports.nearby(lon, lat);
    return rows.map((r) => ({ ...reportView(r, [], 'public'), distanceMetres: r.distance }));
  }

  async list(filter: ListFilter) {
    const { rows, total } = await this.reports.list(filter);
    return { type: 'FeatureCollection' as const, numberMatched: total, numberReturned: rows.length, features: rows.map(reportFeature) };
  }

  /** A dispatcher moves a report; out-of-scope reports answer 404 so ids do not leak. */
  async act(
    id: string,
    action: StaffAction,
    principal: UserPrincipal,
    details: { note?: string; reason?: string; duplicateOf?: string; afterPhotos?: Upload[] },
    requestId?: string | null,
  ) {
    const peek = await this.reports.get(id);
    if (!peek || !canManageCity(principal, peek.cityId, peek.districtId)) throw ReportsErrors.notFound();
    // Check the move before its requirements, and before any file is processed or stored.
    this.transition(peek.status, action);
    if (action === 'reject' && !details.reason?.trim()) throw ReportsErrors.field('reason', 'a reason is required to reject a report');
    if (action === 'resolve') {
      if (!details.note?.trim()) throw ReportsErrors.field('note', 'a note on what was done is required');
      if (!details.afterPhotos?.length) throw ReportsErrors.field('photos', 'at least one "after" photo is required');
    }
    if (action === 'mark_duplicate') {
      if (!details.duplicateOf) throw ReportsErrors.field('duplicateOf', 'the original report is required');
      if (details.duplicateOf === id) throw ReportsErrors.field('duplicateOf', 'a report cannot duplicate itself');
    }
    const media = action === 'resolve' ? await this.prepareMedia(details.afterPhotos!, peek, 'after') : [];
    if (media.some((m) => m.row.kind !== 'photo')) throw ReportsErrors.field('photos', '"after" evidence must be photos');
    const stored: string[] = [];
    try {
      await this.storeMedia(media, stored);
      return await this.dataSource.transaction(async (manager) => {
        const r = (await this.reports.get(id, manager, true))!;
        await this.applyAction(manager, r, action, principal, details, media.map((m) => m.row), requestId ?? null);
        const after = (await this.reports.get(id, manager))!;
        return reportView(after, await this.reportsMedia(manager, id), 'staff');
      });
    } catch (err) {
      await Promise.all(stored.map((key) => this.storage.delete(key).catch(() => undefined)));
      throw err;
    }
  }

  /**
   * One staff move of a locked report: its columns, the "after" media, a history row, the hotspot
   * recluster, the reporter's notice and the audit entry. Used by `act` and by dispatch's work orders.
   */
  private async applyAction(
    manager: EntityManager,
    r: ReportRow,
    action: StaffAction,
    actor: { userId: string; role: string },
    details: { note?: string; reason?: string; duplicateOf?: string; workOrderId?: string },
    media: NewMedia[],
    requestId: string | null,
  ): Promise<ReportStatus> {
    const id = r.id;
    const to = this.transition(r.status, action);
    const set: Record<string, unknown> = { status: to };
    if (action === 'register') set.registered_at = new Date();
    if (action === 'start') set.in_progress_at = new Date();
    if (action === 'resolve') {
      set.resolved_at = new Date();
      set.resolution_note = details.note!.trim();
    }
    if (action === 'reject') {
      set.rejection_reason = details.reason!.trim();
      set.closed_at = new Date();
    }
    if (action === 'mark_duplicate') {
      const original = await this.reports.existsInCity(manager, details.duplicateOf!, r.cityId);
      if (!original) throw ReportsErrors.field('duplicateOf', 'no report with this id in the same city');
      if (original.status === 'duplicate' || original.status === 'rejected') throw ReportsErrors.field('duplicateOf', `the original is ${original.status} itself`);
      set.duplicate_of = details.duplicateOf;
      set.closed_at = new Date();
    }
    await this.reports.update(manager, id, set);
    await this.reports.insertMedia(manager, id, null, media, details.workOrderId ?? null);
    const note = details.note?.trim() || details.reason?.trim() || (details.duplicateOf ? `duplicate of ${details.duplicateOf}` : null);
    await this.reports.insertHistory(manager, id, { event: 'status', from: r.status, to, actorId: actor.userId, actorRole: actor.role, note });
    await this.outbox.enqueue(manager, 'hotspots.recluster', { cityId: r.cityId, reason: 'report' });
    await this.notifyReporters(manager, r, to as NotifiedStatus, note);
    await manager.query(
      `INSERT INTO audit_log (actor_id, actor_role, action, object_type, object_id, city_id, before, after, request_id)
       VALUES ($1, $2, $3, 'report', $4, $5, $6::jsonb, $7::jsonb, $8)`,
      [actor.userId, actor.role, `report.${action}`, id, r.cityId, JSON.stringify({ status: r.status }), JSON.stringify({ status: to, ...(note ? { note } : {}) }), requestId],
    );
    return to;
  }

  /**
   * "After" photos for a work order: checked and stored once, shown on each of its reports. The caller
   * removes them with `discard` when its transaction fails.
   */
  async storeAfterPhotos(uploads: Upload[], pin: { lon: number; lat: number }): Promise<{ media: NewMedia[]; discard: () => Promise<void> }> {
    if (!uploads.length) throw ReportsErrors.field('photos', 'at least one "after" photo is required');
    const media = await this.prepareMedia(uploads, pin, 'after');
    if (media.some((m) => m.row.kind !== 'photo')) throw ReportsErrors.field('photos', '"after" evidence must be photos');
    const stored: string[] = [];
    const discard = () => Promise.all(stored.splice(0).map((key) => this.storage.delete(key).catch(() => undefined))).then(() => undefined);
    try {
      await this.storeMedia(media, stored);
    } catch (err) {
      await discard();
      throw err;
    }
    return { media: media.map((m) => m.row), discard };
  }

  /**
   * A work order moves its reports, inside the caller's transaction: starting it registers what was
   * still submitted and starts every report; completing it resolves them with the crew's note and the
   * shared "after" photos (each report gets its own media rows over the same stored files). A report
   * already in the target status is left as it is.
   */
  async advanceForWorkOrder(
    manager: EntityManager,
    reportIds: string[],
    step: 'start' | 'resolve',
    actor: { userId: string; role: string },
    details: { workOrderId: string; note?: string; media?: NewMedia[] },
  ): Promise<void> {
    for (const id of [...reportIds].sort()) {
      const r = await this.reports.get(id, manager, true);
      if (!r) continue;
      const actions: StaffAction[] =
        step === 'start' ? (r.status === 'submitted' ? ['register', 'start'] : r.status === 'registered' ? ['start'] : []) : r.status === 'in_progress' ? ['resolve'] : [];
      let current = r;
      for (const action of actions) {
        const media = action === 'resolve' ? (details.media ?? []).map((m) => ({ ...m, id: randomUUID() })) : [];
        await this.applyAction(manager, current, action, actor, { note: details.note, workOrderId: details.workOrderId }, media, null);
        current = (await this.reports.get(id, manager))!;
      }
    }
  }

  /** The reporter rates a resolved report 1-5: >= 3 closes it, < 3 returns it to the akimat. */
  async rate(id: string, caller: Caller, rating: number, comment: string | undefined) {
    const peek = await this.reports.get(id);
    if (!peek || (await this.audienceFor(peek, caller)) !== 'reporter') throw ReportsErrors.notFound();
    return this.dataSource.transaction(async (manager) => {
      const r = (await this.reports.get(id, manager, true))!;
      let outcome;
      try {
        outcome = applyRating(r, rating, new Date());
      } catch (err) {
        if (err instanceof TransitionRefused) {
          const why = r.status === 'resolved' ? `the ${RATING_WINDOW_DAYS}-day rating window has ended` : `only a resolved report can be rated; this one is ${r.status.replace('_', ' ')}`;
          throw ReportsErrors.transition(`This report cannot be rated: ${why}.`, []);
        }
        throw err;
      }
      const set: Record<string, unknown> = { status: outcome.status, rating, rating_comment: comment?.trim() || null, rated_at: new Date() };
      if (outcome.status === 'closed') set.closed_at = new Date();
      if (outcome.reopened) {
        set.reopen_count = r.reopenCount + 1;
        set.resolved_at = null;
        set.in_progress_at = null;
      }
      if (outcome.escalate) set.escalated_at = new Date();
      await this.reports.update(manager, id, set);
      const actorId = caller.principal?.kind === 'user' ? caller.principal.userId : null;
      await this.reports.insertHistory(manager, id, { event: 'rated', from: r.status, to: outcome.status, actorId, actorRole: 'reporter', note: `rating ${rating}${comment?.trim() ? `: ${comment.trim()}` : ''}` });
      if (outcome.reopened) {
        await this.reports.insertHistory(manager, id, { event: 'reopened', from: r.status, to: 'registered', actorId, actorRole: 'reporter', note: `returned by a rating of ${rating} (return ${r.reopenCount + 1})` });
        // Dispatch re-opens the report's work order as a follow-up at the top of the queue.
        await this.outbox.enqueue(manager, 'dispatch.follow_up', { reportId: id, reopenCount: r.reopenCount + 1 });
      }
      if (outcome.status === 'closed') await this.notifyReporters(manager, r, 'closed', null);
      if (outcome.escalate) {
        await this.reports.insertHistory(manager, id, { event: 'escalated', from: 'registered', to: 'registered', actorId: null, actorRole: 'system', note: `returned ${r.reopenCount + 1} times: on the akim's list` });
      }
      await this.outbox.enqueue(manager, 'hotspots.recluster', { cityId: r.cityId, reason: 'report' });
      const after = (await this.reports.get(id, manager))!;
      return reportView(after, await this.reportsMedia(manager, id), 'reporter');
    });
  }

  /** The job: resolved reports nobody rated within 14 days close, and their reporters hear of it. */
  async closeUnrated(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const ids = await this.reports.closeUnrated(manager, RATING_WINDOW_DAYS);
      for (const id of ids) {
        const r = (await this.reports.get(id, manager))!;
        await this.notifyReporters(manager, r, 'closed', `Closed: not rated within ${RATING_WINDOW_DAYS} days.`);
      }
      if (ids.length) this.logger.log({ msg: 'unrated reports closed', count: ids.length });
      return ids.length;
    });
  }

  async mediaFile(mediaId: string, variant: 'full' | 'thumbnail', caller: Caller) {
    const m = await this.reports.mediaById(mediaId);
    if (!m) throw ReportsErrors.notFound();
    if (m.reportStatus === 'rejected') {
      const r = (await this.reports.get(m.reportId))!;
      if ((await this.audienceFor(r, caller)) === 'public') throw ReportsErrors.notFound();
    }
    const key = variant === 'thumbnail' ? m.thumbKey : m.storageKey;
    if (!key) throw ReportsErrors.notFound();
    const file = await this.storage.get(key);
    if (!file) throw ReportsErrors.notFound();
    return { data: file.data, contentType: file.contentType, filename: `${m.id}${variant === 'thumbnail' ? '-thumb' : ''}.${m.kind === 'video' ? 'mp4' : 'jpg'}` };
  }

  private async notifyReporters(manager: EntityManager, r: ReportRow, to: NotifiedStatus, note: string | null): Promise<void> {
    const recipients = await this.reports.recipients(manager, r.id);
    if (recipients.length === 0) return;
    const after = (await this.reports.get(r.id, manager))!;
    await this.notifications.reportChanged(manager, recipients, { reportId: r.id, to, categoryName: r.categoryName, note, duplicateOf: after.duplicateOf });
  }

  private transition(status: ReportStatus, action: StaffAction): ReportStatus {
    try {
      return nextStatus(status, action);
    } catch (err) {
      if (err instanceof TransitionRefused) throw ReportsErrors.transition(err.message, err.allowed);
      throw err;
    }
  }

  private reportsMedia(manager: EntityManager, id: string) {
    return this.reports.media(id, manager);
  }
}

function intakeRefused(reason: Extract<IntakeOutcome, { outcome: 'refused' }>['reason']) {
  if (reason === 'unknown_category') return ReportsErrors.field('category', 'is not a known category');
  if (reason === 'outside_service_area') return ReportsErrors.outsideServiceArea();
  return ReportsErrors.idempotencyMismatch();
}

type NotifiedStatus = 'registered' | 'in_progress' | 'resolved' | 'closed' | 'rejected' | 'duplicate';
