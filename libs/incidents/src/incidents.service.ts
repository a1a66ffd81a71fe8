import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { canManageCity, readableCities, readableCitiesOf, type UserPrincipal } from '../../accounts/src/index.js';
import { metresBetween, OutboxRepository, type FieldProblem } from '../../core/src/index.js';
import { MediaErrors, processPhoto, processVideo, sniffMedia, type MediaStorage } from '../../media/src/index.js';
import { reportCategoryOf, ReportsService } from '../../reports/src/index.js';
import type { CameraCaller } from './cameras.service.js';
import { CLIP_MAX_BYTES, incidentBodyHash, MAX_BATCH, MAX_POSITION_METRES, parseIncident, SNAPSHOT_MAX_BYTES, type IncidentInput } from './incident-input.js';
import { IncidentsErrors } from './incidents.errors.js';
import { IncidentsRepository, type IncidentRow, type IncidentStatus, type NewIncident } from './incidents.repository.js';

export const INCIDENT_MEDIA_STORAGE = Symbol('INCIDENT_MEDIA_STORAGE');
/** Conversions per transaction: short enough not to hold merge locks for long. */
const CONVERT_CHUNK = 50;

export interface IncidentFiles {
  snapshot?: Buffer;
  clip?: Buffer;
}

export type BatchItemResult =
  | { index: number; eventId: string; result: 'created' | 'duplicate'; incidentId: string }
  | { index: number; eventId: string | null; result: 'rejected'; code: string; errors: FieldProblem[] };

/** Staff view of an incident. The snapshot and clip are links to staff-only endpoints. */
export function incidentView(r: IncidentRow) {
  return {
    id: r.id,
    cameraId: r.cameraId,
    cameraName: r.cameraName,
    cityId: r.cityId,
    eventId: r.eventId,
    occurredAt: r.occurredAt,
    receivedAt: r.receivedAt,
    confidence: r.confidence,
    class: r.class,
    position: { lon: r.lon, lat: r.lat },
    status: r.status,
    autoConfirmed: r.autoConfirmed,
    processed: r.processedAt !== null,
    reviewedAt: r.reviewedAt,
    dismissReason: r.dismissReason,
    reportId: r.reportId,
    conversionError: r.conversionError,
    snapshotUrl: r.snapshotKey ? `/api/v1/incidents/${r.id}/snapshot` : null,
    clipUrl: r.clipKey ? `/api/v1/incidents/${r.id}/clip` : null,
  };
}

/**
 * CCTV incidents: idempotent intake (one or a batch), processing from the outbox (auto-confirm,
 * conversion into reports), the dispatcher's review, and staff reads.
 */
@Injectable()
export class IncidentsService {
  private readonly logger = new Logger(IncidentsService.name);

  constructor(
    @Inject(IncidentsRepository) private readonly incidents: IncidentsRepository,
    @Inject(OutboxRepository) private readonly outbox: OutboxRepository,
    @Inject(ReportsService) private readonly reports: ReportsService,
    @Inject(INCIDENT_MEDIA_STORAGE) private readonly storage: MediaStorage,
  ) {}

  // ---- intake ----------------------------------------------------------------------------------

  /** Position checks that need the camera: the incident must lie within 2 km of it. */
  private placeOf(camera: CameraCaller, input: IncidentInput, prefix = ''): { lon: number; lat: number } | FieldProblem {
    if (!input.position) return { lon: camera.lon, lat: camera.lat };
    if (metresBetween(input.position, camera) > MAX_POSITION_METRES) return { field: `${prefix}position`, message: `must lie within ${MAX_POSITION_METRES} m of the camera` };
    return input.position;
  }

  /**
   * One incident. 201 when stored; the same (camera, event id) with the same body again answers 200
   * with the first incident and stores nothing; with a different body, 409. Files are checked before
   * anything is stored and removed again if the database refuses.
   */
  async ingest(camera: CameraCaller, raw: unknown, files: IncidentFiles): Promise<{ statusCode: 200 | 201; body: { incidentId: string; eventId: string; result: 'created' | 'duplicate'; status: IncidentStatus } }> {
    const parsed = parseIncident(raw);
    if ('problems' in parsed) throw IncidentsErrors.fields(parsed.problems);
    const input = parsed.input;
    const place = this.placeOf(camera, input);
    if ('field' in place) throw IncidentsErrors.fields([place]);
    const hash = incidentBodyHash(input, files);

    const earlier = (await this.incidents.existing(camera.cameraId, [input.eventId]))[0];
    if (earlier) {
      if (!earlier.bodyHash.equals(hash)) throw IncidentsErrors.eventConflict(input.eventId);
      return { statusCode: 200, body: { incidentId: earlier.id, eventId: input.eventId, result: 'duplicate', status: earlier.status } };
    }

    const id = randomUUID();
    const stored: string[] = [];
    const removeStored = () => Promise.all(stored.splice(0).map((k) => this.storage.delete(k).catch(() => undefined)));
    try {
      const row: NewIncident = { id, eventId: input.eventId, bodyHash: hash, occurredAt: input.occurredAt, confidence: input.confidence, class: input.class, ...place, snapshotKey: null, clipKey: null };
      if (files.snapshot) {
        row.snapshotKey = `incidents/${id}.jpg`;
        await this.storage.put(row.snapshotKey, await this.cleanSnapshot(files.snapshot), 'image/jpeg');
        stored.push(row.snapshotKey);
      }
      if (files.clip) {
        row.clipKey = `incidents/${id}.mp4`;
        await this.storage.put(row.clipKey, this.cleanClip(files.clip), 'video/mp4');
        stored.push(row.clipKey);
      }
      const inserted = await this.incidents.transaction(async (m) => {
        const rows = await this.incidents.insertMany(m, camera.cameraId, camera.cityId, [row]);
        if (rows.length) await this.outbox.enqueue(m, 'incidents.process', { incidentIds: [id] });
        return rows.length > 0;
      });
      if (!inserted) {
        // The same event arrived twice at the same moment; the other request stored it.
        await removeStored();
        const winner = (await this.incidents.existing(camera.cameraId, [input.eventId]))[0];
        if (!winner.bodyHash.equals(hash)) throw IncidentsErrors.eventConflict(input.eventId);
        return { statusCode: 200, body: { incidentId: winner.id, eventId: input.eventId, result: 'duplicate', status: winner.status } };
      }
      this.logger.log({ msg: 'incident received', incidentId: id, cameraId: camera.cameraId, class: input.class, confidence: input.confidence });
      return { statusCode: 201, body: { incidentId: id, eventId: input.eventId, result: 'created', status: 'pending' } };
    } catch (err) {
      await removeStored();
      throw err;
    }
  }

  private async cleanSnapshot(bytes: Buffer): Promise<Buffer> {
    if (bytes.length > SNAPSHOT_MAX_BYTES) throw MediaErrors.tooLarge('snapshot', `The snapshot is larger than ${SNAPSHOT_MAX_BYTES / 1048576} MiB.`);
    if ((await sniffMedia(bytes))?.mime !== 'image/jpeg') throw MediaErrors.unsupportedType('snapshot', 'The snapshot must be a JPEG image.');
    return (await processPhoto(bytes, 'snapshot')).image;
  }

  private cleanClip(bytes: Buffer): Buffer {
    if (bytes.length > CLIP_MAX_BYTES) throw MediaErrors.tooLarge('clip', `The clip is larger than ${CLIP_MAX_BYTES / 1048576} MiB.`);
    return processVideo(bytes, 'clip').video;
  }

  /**
   * Up to 500 incidents (no files) for a box that buffered while offline. Each item gets its own
   * result; the valid new ones are stored with one outbox row in one transaction.
   */
  async ingestBatch(camera: CameraCaller, body: unknown): Promise<{ created: number; duplicate: number; rejected: number; results: BatchItemResult[] }> {
    const items = (body as { incidents?: unknown } | null)?.incidents;
    if (typeof body !== 'object' || body === null || Array.isArray(body) || Object.keys(body).some((k) => k !== 'incidents')) {
      throw IncidentsErrors.field('incidents', 'send {"incidents": [...]} and nothing else');
    }
    if (!Array.isArray(items) || items.length === 0 || items.length > MAX_BATCH) throw IncidentsErrors.field('incidents', `must be a list of 1 to ${MAX_BATCH} incidents`);

    const now = Date.now();
    const results: BatchItemResult[] = new Array(items.length);
    const valid: { index: number; input: IncidentInput; hash: Buffer; place: { lon: number; lat: number } }[] = [];
    items.forEach((raw, index) => {
      const prefix = `incidents[${index}].`;
      const parsed = parseIncident(raw, now, prefix);
      const eventId = typeof (raw as { eventId?: unknown })?.eventId === 'string' ? ((raw as { eventId: string }).eventId.slice(0, 128)) : null;
      if ('problems' in parsed) {
        results[index] = { index, eventId, result: 'rejected', code: 'incidents.invalid', errors: parsed.problems };
        return;
      }
      const place = this.placeOf(camera, parsed.input, prefix);
      if ('field' in place) {
        results[index] = { index, eventId, result: 'rejected', code: 'incidents.invalid', errors: [place] };
        return;
      }
      valid.push({ index, input: parsed.input, hash: incidentBodyHash(parsed.input), place });
    });

    const conflict = (index: number, eventId: string): BatchItemResult => ({
      index,
      eventId,
      result: 'rejected',
      code: 'incidents.event_id_reused',
      errors: [{ field: `incidents[${index}].eventId`, message: 'already used by this camera for a different incident' }],
    });

    await this.incidents.transaction(async (m) => {
      const earlier = new Map((await this.incidents.existing(camera.cameraId, valid.map((v) => v.input.eventId), m)).map((e) => [e.eventId, e]));
      const fresh = new Map<string, { id: string; hash: Buffer }>();
      const rows: NewIncident[] = [];
      const pending: { index: number; eventId: string }[] = [];
      for (const v of valid) {
        const eventId = v.input.eventId;
        const seen = earlier.get(eventId) ?? fresh.get(eventId);
        if (seen) {
          const sameBody = ('bodyHash' in seen ? seen.bodyHash : seen.hash).equals(v.hash);
          results[v.index] = sameBody ? { index: v.index, eventId, result: 'duplicate', incidentId: seen.id } : conflict(v.index, eventId);
          continue;
        }
        const id = randomUUID();
        fresh.set(eventId, { id, hash: v.hash });
        rows.push({ id, eventId, bodyHash: v.hash, occurredAt: v.input.occurredAt, confidence: v.input.confidence, class: v.input.class, ...v.place, snapshotKey: null, clipKey: null });
        pending.push({ index: v.index, eventId });
      }
      const inserted = new Set((await this.incidents.insertMany(m, camera.cameraId, camera.cityId, rows)).map((r) => r.id));
      // A row not inserted lost a race with a concurrent request carrying the same event: read the winner.
      const lost = rows.filter((r) => !inserted.has(r.id));
      const winners = lost.length ? new Map((await this.incidents.existing(camera.cameraId, lost.map((r) => r.eventId), m)).map((e) => [e.eventId, e])) : new Map();
      for (const p of pending) {
        const row = fresh.get(p.eventId)!;
        if (inserted.has(row.id)) {
          results[p.index] = { index: p.index, eventId: p.eventId, result: 'created', incidentId: row.id };
        } else {
          const w = winners.get(p.eventId);
          results[p.index] = w && w.bodyHash.equals(row.hash) ? { index: p.index, eventId: p.eventId, result: 'duplicate', incidentId: w.id } : conflict(p.index, p.eventId);
        }
      }
      // Duplicates inside this batch point at the id the first copy got (or the winner's).
      for (const r of results) {
        if (r && r.result === 'duplicate' && !inserted.has(r.incidentId) && fresh.get(r.eventId)?.id === r.incidentId) {
          const w = winners.get(r.eventId);
          if (w) r.incidentId = w.id;
        }
      }
      if (inserted.size) await this.outbox.enqueue(m, 'incidents.process', { incidentIds: [...inserted] });
    });

    const count = (k: BatchItemResult['result']) => results.filter((r) => r.result === k).length;
    this.logger.log({ msg: 'incident batch received', cameraId: camera.cameraId, items: items.length, created: count('created'), rejected: count('rejected') });
    return { created: count('created'), duplicate: count('duplicate'), rejected: count('rejected'), results };
  }

  // ---- processing (worker) ---------------------------------------------------------------------

  /**
   * The worker's `incidents.process`: marks the incidents processed, confirms those at or above their
   * camera's auto-confirm confidence, and turns every confirmed incident without a report into one.
   * Safe to run any number of times: each step re-reads state and writes under a unique key.
   */
  async process(incidentIds: string[]): Promise<{ processed: number; converted: number }> {
    const processed = await this.incidents.markProcessed(incidentIds);
    // Incidents at the same point with the same category take the same merge locks (taza_report_intake
    // locks the ~100 m cells around the point, per category): only those share a transaction, so two
    // transactions never wait on each other's locks in opposite orders.
    const groups = new Map<string, string[]>();
    for (const c of await this.incidents.toConvert(incidentIds)) {
      const key = `${c.lon}:${c.lat}:${reportCategoryOf(c.class)}`;
      groups.set(key, [...(groups.get(key) ?? []), c.id]);
    }
    let converted = 0;
    for (const ids of groups.values()) for (let i = 0; i < ids.length; i += CONVERT_CHUNK) converted += await this.convert(ids.slice(i, i + CONVERT_CHUNK));
    return { processed, converted };
  }

  /**
   * Confirmed incidents into reports (or confirmations of an open one within 25 m), a chunk per
   * transaction: the incidents are locked, each goes through the reports intake, and the reports are
   * recorded on them before the commit. A crash anywhere leaves the chunk as it was.
   */
  private async convert(ids: string[]): Promise<number> {
    const results = await this.incidents.transaction(async (m) => {
      const out: { id: string; reportId: string | null; error: string | null; joined: boolean }[] = [];
      for (const row of await this.incidents.lockForConversion(m, ids)) {
        const result = await this.reports.intakeFromCamera(
          { incidentId: row.id, cameraName: row.cameraName, class: row.class, confidence: row.confidence, occurredAt: row.occurredAt, lon: row.lon, lat: row.lat },
          m,
        );
        out.push('refused' in result ? { id: row.id, reportId: null, error: result.refused, joined: false } : { id: row.id, reportId: result.reportId, error: null, joined: result.joined });
      }
      await this.incidents.setConversions(m, out);
      return out;
    });
    for (const r of results.filter((x) => x.error)) this.logger.warn({ msg: 'confirmed incident could not become a report', incidentId: r.id, reason: r.error });
    const converted = results.filter((r) => r.reportId);
    if (converted.length) this.logger.log({ msg: 'incidents became reports', incidents: converted.length, joined: converted.filter((r) => r.joined).length });
    return converted.length;
  }

  // ---- review and reads (staff) ----------------------------------------------------------------

  async confirm(p: UserPrincipal, id: string) {
    return this.review(p, id, 'confirmed', null);
  }

  async dismiss(p: UserPrincipal, id: string, reason: string) {
    return this.review(p, id, 'dismissed', reason);
  }

  private async review(p: UserPrincipal, id: string, decision: 'confirmed' | 'dismissed', reason: string | null) {
    const current = await this.incidents.get(id);
    if (!current || !canManageCity(p, current.cityId)) throw IncidentsErrors.notFound('incident');
    await this.incidents.transaction(async (m) => {
      if (!(await this.incidents.review(m, id, decision, p.userId, reason))) {
        const now = await this.incidents.get(id, m);
        throw IncidentsErrors.reviewed(now?.status ?? current.status);
      }
      // Conversion runs in the worker, like auto-confirmed incidents.
      if (decision === 'confirmed') await this.outbox.enqueue(m, 'incidents.process', { incidentIds: [id] });
    });
    this.logger.log({ msg: 'incident reviewed', incidentId: id, decision, reviewerId: p.userId });
    return incidentView((await this.incidents.get(id))!);
  }

  async list(p: UserPrincipal, q: { cityId?: string; status?: IncidentStatus; cameraId?: string; limit: number; offset: number }) {
    const cityIds = readableCitiesOf(p, q.cityId);
    const { rows, total } = await this.incidents.list({ cityIds, status: q.status, cameraId: q.cameraId, processedOnly: q.status === 'pending', limit: q.limit, offset: q.offset });
    return { total, items: rows.map(incidentView) };
  }

  /** Pending incidents the worker has looked at: what a dispatcher must decide on, newest first. */
  async reviewQueue(cityId: string, limit: number) {
    const { rows } = await this.incidents.list({ cityIds: [cityId], status: 'pending', processedOnly: true, limit, offset: 0 });
    return rows.map(incidentView);
  }

  private async visible(p: UserPrincipal, id: string): Promise<IncidentRow> {
    const r = await this.incidents.get(id);
    const readable = readableCities(p);
    if (!r || (readable !== null && !readable.includes(r.cityId))) throw IncidentsErrors.notFound('incident');
    return r;
  }

  async get(p: UserPrincipal, id: string) {
    return incidentView(await this.visible(p, id));
  }

  /** The snapshot or clip, for staff who may read the incident's city; never public (plates, faces). */
  async media(p: UserPrincipal, id: string, which: 'snapshot' | 'clip'): Promise<{ data: Buffer; contentType: string }> {
    const r = await this.visible(p, id);
    const key = which === 'snapshot' ? r.snapshotKey : r.clipKey;
    const file = key ? await this.storage.get(key) : null;
    if (!file) throw IncidentsErrors.notFound('incident');
    return file;
  }

  counts() {
    return this.incidents.processedCounts();
  }
}
