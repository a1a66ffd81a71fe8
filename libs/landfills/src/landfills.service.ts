import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditRepository, canManageCity, canReadCity, readableCitiesOf, type UserPrincipal } from '../../accounts/src/index.js';
import { AppConfig, OutboxRepository, type FieldProblem } from '../../core/src/index.js';
import { NotificationsService } from '../../notifications/src/index.js';
import { evaluateAlerts, RESEND_AFTER_DAYS, RESEND_LEVELS, severity, type AlertLevel } from './landfill-alert-rules.js';
import { landfillAlertEmail } from './landfill-emails.js';
import { fillLevel, forecast, FORECAST_WINDOW_DAYS, type Forecast } from './landfill-forecast.js';
import { addDays, dayProblem, daysBetween, intakeRow, MAX_TONNES_PER_DAY, parseIntakeCsv, parseSurveysCsv, surveyRow, type RowContext } from './landfill-input.js';
import { LandfillsErrors } from './landfills.errors.js';
import { LandfillsRepository, type IntakeInput, type LandfillInput, type LandfillRow, type StoredForecast, type SurveyInput } from './landfills.repository.js';
import { DEMO_LANDFILLS, DEMO_WEIGHBRIDGE_KEY, demoSeries } from './demo-landfills.js';

export interface IntakeTicket {
  date: string;
  tonnes: number;
  plate?: string | null;
  sourceCity?: string | null;
  ticketId?: string | null;
}

export interface SurveyEntry {
  date: string;
  usedM3: number;
  method: string;
  note?: string | null;
}

/** Longest series one request may ask for. */
export const MAX_SERIES_DAYS = 3 * 366;
const PROJECTION_DAYS = 3 * 365;

const keyHash = (key: string) => createHash('sha256').update(key).digest();

/**
 * Landfills: fill levels, measurements, forecasts and capacity alerts. Akims and dispatchers of a city
 * that uses a landfill see it (admins and national akims see all); dispatchers record measurements;
 * akims acknowledge alerts. Anything else answers 404.
 */
@Injectable()
export class LandfillsService {
  private readonly logger = new Logger(LandfillsService.name);

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(LandfillsRepository) private readonly repo: LandfillsRepository,
    @Inject(OutboxRepository) private readonly outbox: OutboxRepository,
    @Inject(NotificationsService) private readonly notifications: NotificationsService,
    @Inject(AuditRepository) private readonly audit: AuditRepository,
  ) {}

  // ---- reads ---------------------------------------------------------------------------------

  /** The landfills the caller sees as GeoJSON, with today's fill level, the stored forecast and live alerts. */
  async list(p: UserPrincipal, cityId?: string) {
    const rows = await this.repo.list(readableCitiesOf(p, cityId));
    const forecasts = await this.repo.latestForecasts(rows.map((r) => r.id));
    const alerts = await this.repo.liveAlertsOf(rows.map((r) => r.id));
    const features = await Promise.all(
      rows.map(async (l) => {
        const now = await this.fillNow(l);
        return {
          type: 'Feature' as const,
          id: l.id,
          geometry: l.geometry,
          properties: {
            ...this.view(l),
            asOf: l.today,
            usedM3: round(now.usedM3, 1),
            fillPercent: round(now.fillPercent, 2),
            lastSurvey: now.survey,
            forecast: storedView(forecasts.get(l.id)),
            alerts: alerts.filter((a) => a.landfillId === l.id).map((a) => ({ id: a.id, level: a.level, raisedAt: a.raisedAt, acknowledged: a.acknowledgedAt !== null })),
          },
        };
      }),
    );
    return { type: 'FeatureCollection' as const, features };
  }

  /**
   * Per day: intake, diversion by the landfill's cities, used volume and fill level; then the forecast
   * from today with its range, optionally re-run with `divertPercent` more diverted.
   */
  async series(p: UserPrincipal, id: string, q: { from?: string; to?: string; divertPercent?: number }) {
    const l = await this.readable(p, id);
    const to = q.to ?? l.today;
    const from = q.from ?? addDays(to, -364);
    const problems: FieldProblem[] = [];
    for (const [field, day] of [['from', from], ['to', to]] as const) {
      const wrong = dayProblem(day, l.today);
      if (wrong) problems.push({ field, message: `${field} ${wrong}` });
    }
    if (!problems.length && from > to) problems.push({ field: 'from', message: 'from must not be after to' });
    if (!problems.length && daysBetween(from, to) >= MAX_SERIES_DAYS) problems.push({ field: 'from', message: `a series covers at most ${MAX_SERIES_DAYS} days` });
    if (problems.length) throw LandfillsErrors.fields(problems);

    const [base, intake, diverted, surveys] = await Promise.all([
      this.repo.fillBase(id, addDays(from, -1)),
      this.repo.dailyIntake(id, from, to),
      this.repo.dailyDiversion(id, from, to),
      this.repo.surveys(id, from, to),
    ]);
    const intakeBy = new Map(intake.map((r) => [r.day, r.tonnes]));
    const divertedBy = new Map(diverted.map((r) => [r.day, r.tonnes]));
    const surveyBy = new Map(surveys.map((s) => [s.day, s]));
    let used = fillLevel({ surveyUsedM3: base.survey?.usedM3 ?? 0, intakeSinceTonnes: base.intakeSinceTonnes, density: l.density, capacityM3: l.capacityM3 }).usedM3;
    const days = [];
    for (let day = from; day <= to; day = addDays(day, 1)) {
      const tonnes = intakeBy.get(day) ?? 0;
      const survey = surveyBy.get(day);
      used = survey ? survey.usedM3 : used + tonnes / l.density;
      days.push({
        day,
        intakeTonnes: round(tonnes, 3),
        divertedTonnes: round(divertedBy.get(day) ?? 0, 3),
        usedM3: round(used, 1),
        fillPercent: round((used / l.capacityM3) * 100, 2),
        ...(survey ? { survey: { usedM3: survey.usedM3, method: survey.method } } : {}),
      });
    }
    const f = await this.computeForecast(l, q.divertPercent ?? 0, PROJECTION_DAYS);
    return {
      landfill: this.view(l),
      from,
      to,
      points: days,
      forecast: {
        asOf: l.today,
        windowDays: FORECAST_WINDOW_DAYS,
        method: 'theil-sen-weekly',
        divertPercent: f.forecast.divertPercent,
        usedM3: round(f.usedM3, 1),
        fillPercent: round(f.fillPercent, 2),
        rateTonnesPerDay: round(f.forecast.rateTonnesPerDay, 2),
        rateLowTonnesPerDay: round(f.forecast.rateLowTonnesPerDay, 2),
        rateHighTonnesPerDay: round(f.forecast.rateHighTonnesPerDay, 2),
        slopeTonnesPerWeek: round(f.forecast.slopeTonnesPerWeek, 2),
        thresholds: thresholdsOf(f.milestones),
        points: f.forecast.projection
          .filter((pt, i, all) => i === 0 || all[i - 1].lowM3 < l.capacityM3)
          .map((pt) => ({
            day: addDays(l.today, pt.days),
            fillPercent: round((pt.usedM3 / l.capacityM3) * 100, 2),
            lowPercent: round((pt.lowM3 / l.capacityM3) * 100, 2),
            highPercent: round((pt.highM3 / l.capacityM3) * 100, 2),
          })),
      },
    };
  }

  // ---- measurements ---------------------------------------------------------------------------

  async addIntake(p: UserPrincipal, id: string, t: IntakeTicket) {
    const l = await this.recordable(p, id);
    const ctx = await this.rowContext(l);
    const value = intakeRow({ day: t.date, tonnes: t.tonnes, plate: t.plate ?? null, sourceCity: t.sourceCity ?? null, ticket: t.ticketId ?? null }, ctx);
    if ('bad' in value) throw LandfillsErrors.fields(value.bad.map(([f, m]) => ({ field: jsonField(f), message: `${jsonField(f)} ${m}` })));
    const stored = await this.storeIntake(id, [{ row: 0, value }], { userId: p.userId, weighbridgeId: null }, (_row, f) => jsonField(f));
    if (!stored) throw LandfillsErrors.conflict('ticketId', 'a ticket with this number is recorded already');
    return { landfillId: id, recorded: 1, ...value };
  }

  async addSurvey(p: UserPrincipal, id: string, s: SurveyEntry) {
    const l = await this.recordable(p, id);
    const value = surveyRow({ day: s.date, usedM3: s.usedM3, method: s.method, note: s.note ?? null }, await this.rowContext(l));
    if ('bad' in value) throw LandfillsErrors.fields(value.bad.map(([f, m]) => ({ field: jsonField(f), message: `${jsonField(f)} ${m}` })));
    await this.storeSurveys(id, [{ row: 0, value }], p.userId, () => 'date');
    return { landfillId: id, recorded: 1, ...value };
  }

  /** A CSV of intake tickets: every row goes in, or (any bad row) none, with one problem line per bad row. */
  async importIntake(p: UserPrincipal, id: string, bytes: Buffer) {
    const l = await this.recordable(p, id);
    const parsed = parseIntakeCsv(bytes, await this.rowContext(l));
    if (parsed.problems.length) throw LandfillsErrors.fields(parsed.problems, 'The file was not imported');
    const stored = await this.storeIntake(id, parsed.rows, { userId: p.userId, weighbridgeId: null }, (row, f) => `rows[${row}].${f}`);
    return { landfillId: id, imported: stored, skippedKnownTickets: parsed.rows.length - stored };
  }

  async importSurveys(p: UserPrincipal, id: string, bytes: Buffer) {
    const l = await this.recordable(p, id);
    const parsed = parseSurveysCsv(bytes, await this.rowContext(l));
    if (parsed.problems.length) throw LandfillsErrors.fields(parsed.problems, 'The file was not imported');
    const stored = await this.storeSurveys(id, parsed.rows, p.userId, (row) => `rows[${row}].date`);
    return { landfillId: id, imported: stored };
  }

  /** The weighbridge holding this key (401 otherwise): checked before the body is even read. */
  async authenticateWeighbridge(apiKey: string | undefined): Promise<{ id: string; landfillId: string }> {
    if (!apiKey || apiKey.length > 200) throw LandfillsErrors.apiKey();
    const bridge = await this.repo.useWeighbridgeKey(keyHash(apiKey));
    if (!bridge) throw LandfillsErrors.apiKey();
    return bridge;
  }

  /** A weighbridge system posts a ticket; the same ticket number again is answered, not stored twice. */
  async weighbridgeTicket(bridge: { id: string; landfillId: string }, t: IntakeTicket & { ticketId: string }): Promise<{ created: boolean; landfillId: string; ticketId: string }> {
    const l = (await this.repo.get(bridge.landfillId))!;
    const value = intakeRow({ day: t.date, tonnes: t.tonnes, plate: t.plate ?? null, sourceCity: t.sourceCity ?? null, ticket: t.ticketId }, await this.rowContext(l));
    if ('bad' in value) throw LandfillsErrors.fields(value.bad.map(([f, m]) => ({ field: jsonField(f), message: `${jsonField(f)} ${m}` })));
    const stored = await this.storeIntake(l.id, [{ row: 0, value }], { userId: null, weighbridgeId: bridge.id }, (_row, f) => jsonField(f));
    return { created: stored === 1, landfillId: l.id, ticketId: t.ticketId };
  }

  /**
   * Stores tickets in one transaction under the landfill's row lock (so two posts cannot together pass
   * the daily limit), skipping ticket numbers already known, and queues a forecast.
   */
  private async storeIntake(id: string, rows: { row: number; value: IntakeInput }[], by: { userId: string | null; weighbridgeId: string | null }, field: (row: number, f: string) => string): Promise<number> {
    return this.dataSource.transaction(async (m) => {
      await this.repo.get(id, m, true);
      const known = await this.repo.existingTickets(m, id, rows.map((r) => r.value.externalId).filter((x): x is string => !!x));
      const fresh = rows.filter((r) => !r.value.externalId || !known.has(r.value.externalId));
      const days = [...new Set(fresh.map((r) => r.value.day))];
      const booked = await this.repo.dayTotals(m, id, days);
      const problems: FieldProblem[] = [];
      const running = new Map(booked);
      for (const r of fresh) {
        const total = (running.get(r.value.day) ?? 0) + r.value.tonnes;
        running.set(r.value.day, total);
        if (total > MAX_TONNES_PER_DAY) {
          problems.push({ field: field(r.row, 'tonnes'), message: `${r.row ? `row ${r.row}: ` : ''}tonnes would bring ${r.value.day} to ${round(total, 1).toLocaleString('en')} t, over ${MAX_TONNES_PER_DAY.toLocaleString('en')} t a day at one landfill` });
        }
      }
      if (problems.length) throw LandfillsErrors.fields(problems, rows.length > 1 || rows[0]?.row ? 'The file was not imported' : 'The ticket was not recorded');
      const stored = await this.repo.insertIntake(m, id, fresh.map((r) => r.value), by);
      if (stored) await this.outbox.enqueue(m, 'landfills.forecast', { landfillId: id });
      return stored;
    });
  }

  private async storeSurveys(id: string, rows: { row: number; value: SurveyInput }[], userId: string | null, field: (row: number) => string): Promise<number> {
    return this.dataSource.transaction(async (m) => {
      await this.repo.get(id, m, true);
      const taken = await this.repo.surveyDaysTaken(m, id, rows.map((r) => r.value.day));
      const clash = rows.filter((r) => taken.has(r.value.day));
      if (clash.length) {
        throw LandfillsErrors.fields(
          clash.map((r) => ({ field: field(r.row), message: `${r.row ? `row ${r.row}: ` : ''}date ${r.value.day} has a survey already (one a day)` })),
          rows.length > 1 || rows[0]?.row ? 'The file was not imported' : 'The survey was not recorded',
        );
      }
      const stored = await this.repo.insertSurveys(m, id, rows.map((r) => r.value), userId);
      await this.outbox.enqueue(m, 'landfills.forecast', { landfillId: id });
      return stored;
    });
  }

  // ---- forecasts and alerts ------------------------------------------------------------------

  /**
   * The job: today's forecast of one landfill, stored, and the alert rules applied to it; new alerts
   * email the akims of the cities using it in the same transaction. Running it twice changes nothing.
   */
  async refresh(landfillId: string): Promise<{ fillPercent: number; raised: AlertLevel[]; rearmed: AlertLevel[] } | null> {
    const l = await this.repo.get(landfillId);
    if (!l) return null;
    const f = await this.computeForecast(l, 0, 0);
    return this.dataSource.transaction(async (m) => {
      await this.repo.get(landfillId, m, true);
      const stored: Omit<StoredForecast, 'computedAt'> = {
        computedOn: l.today,
        usedM3: round(f.usedM3, 2),
        fillPercent: round(f.fillPercent, 3),
        rateTonnesPerDay: round(f.forecast.rateTonnesPerDay, 3),
        rateLowTonnesPerDay: round(f.forecast.rateLowTonnesPerDay, 3),
        rateHighTonnesPerDay: round(f.forecast.rateHighTonnesPerDay, 3),
        slopeTonnesPerWeek: round(f.forecast.slopeTonnesPerWeek, 3),
        milestones: f.milestones,
      };
      await this.repo.saveForecast(m, landfillId, stored);
      const full = f.forecast.milestones.find((x) => x.percent === 100)!;
      const live = await this.repo.liveAlerts(m, landfillId);
      const decision = evaluateAlerts({ fillPercent: f.fillPercent, daysToFull: full.days, live: live.map((a) => a.level) });
      await this.repo.rearmAlerts(m, landfillId, decision.rearm);
      const fullOn = f.milestones.find((x) => x.percent === 100)!.date;
      const raised: AlertLevel[] = [];
      for (const level of decision.raise) {
        if (await this.repo.raiseAlert(m, landfillId, { level, fillPercent: round(f.fillPercent, 3), fullOn })) raised.push(level);
      }
      if (raised.length) {
        await this.mailAkims(m, l, raised.sort((a, b) => severity(b) - severity(a)), f.fillPercent, fullOn, false);
        this.logger.log({ msg: 'landfill alerts raised', landfillId, levels: raised, fillPercent: round(f.fillPercent, 2) });
      }
      return { fillPercent: f.fillPercent, raised, rearmed: decision.rearm };
    });
  }

  async refreshAll(): Promise<number> {
    const ids = await this.repo.allIds();
    for (const id of ids) await this.refresh(id);
    return ids.length;
  }

  /** The weekly reminder of unacknowledged critical and emergency alerts (the job runs daily). */
  async resendAlerts(): Promise<number> {
    return this.dataSource.transaction(async (m) => {
      const due = await this.repo.claimResends(m, RESEND_LEVELS, RESEND_AFTER_DAYS);
      for (const a of due) {
        const l = (await this.repo.get(a.landfillId, m))!;
        await this.mailAkims(m, l, [a.level], a.fillPercent, a.fullOn, true);
      }
      if (due.length) this.logger.log({ msg: 'unacknowledged landfill alerts re-sent', alerts: due.map((a) => a.id) });
      return due.length;
    });
  }

  listAlerts(p: UserPrincipal, q: { cityId?: string; state?: 'open' | 'acknowledged' | 'all'; landfillId?: string; limit?: number }) {
    return this.repo.listAlerts(readableCitiesOf(p, q.cityId), { state: q.state ?? 'all', landfillId: q.landfillId, limit: q.limit ?? 100 });
  }

  /** An akim of a city using the landfill acknowledges an alert with a note (the reminders stop). */
  async acknowledge(p: UserPrincipal, alertId: string, note: string) {
    const alert = await this.repo.getAlert(alertId);
    if (!alert || !alert.cityIds.some((c) => canReadCity(p, c))) throw LandfillsErrors.notFound('alert');
    if (p.role !== 'akim') throw LandfillsErrors.notFound('alert');
    const text = note.trim();
    if (!text) throw LandfillsErrors.field('note', 'write what is being done about it');
    await this.dataSource.transaction(async (m) => {
      if (!(await this.repo.acknowledge(m, alertId, p.userId, text))) throw LandfillsErrors.acknowledged();
      await this.audit.write(m, {
        actorId: p.userId, actorRole: p.role, action: 'landfill_alert.acknowledge', objectType: 'landfill_alert', objectId: alertId,
        cityId: p.cityId ?? alert.cityIds[0] ?? null, before: { acknowledged: false }, after: { acknowledged: true, note: text },
      });
    });
    this.logger.log({ msg: 'landfill alert acknowledged', alertId, userId: p.userId });
    return (await this.repo.getAlert(alertId))!;
  }

  // ---- diversion -----------------------------------------------------------------------------

  async addDiversion(p: UserPrincipal, d: { cityId?: string; date: string; tonnes: number; source: string; note?: string | null }) {
    const cityId = d.cityId ?? p.cityId;
    if (!cityId) throw LandfillsErrors.field('cityId', 'choose a city');
    if (!(p.role === 'admin' || canManageCity(p, cityId))) throw LandfillsErrors.field('cityId', 'you can only report diversion for your own city');
    if (!(await this.repo.citiesExist([cityId])).length) throw LandfillsErrors.field('cityId', 'no city has this id');
    const today = new Date().toISOString().slice(0, 10);
    const problems: FieldProblem[] = [];
    const dayWrong = dayProblem(d.date, addDays(today, 1));
    if (dayWrong) problems.push({ field: 'date', message: `date ${dayWrong}` });
    if (problems.length) throw LandfillsErrors.fields(problems);
    const { id } = await this.repo.insertDiversion({ cityId, day: d.date, tonnes: d.tonnes, source: d.source.trim(), note: d.note?.trim() || null, userId: p.userId });
    return { id, cityId, date: d.date, tonnes: d.tonnes, source: d.source.trim(), note: d.note?.trim() || null };
  }

  listDiversion(p: UserPrincipal, q: { cityId?: string; from?: string; to?: string }) {
    const scope = readableCitiesOf(p, q.cityId);
    const to = q.to ?? new Date().toISOString().slice(0, 10);
    return this.repo.listDiversion(scope, q.from ?? addDays(to, -365), to);
  }

  // ---- administration --------------------------------------------------------------------------

  async createLandfill(p: UserPrincipal, input: LandfillInput) {
    await this.checkLandfill(input, null);
    const id = await this.dataSource.transaction(async (m) => {
      const created = await this.repo.insertLandfill(m, input);
      await this.audit.write(m, { actorId: p.userId, actorRole: p.role, action: 'landfill.create', objectType: 'landfill', objectId: created, cityId: input.cityIds[0] ?? null, before: null, after: auditView(input) });
      await this.outbox.enqueue(m, 'landfills.forecast', { landfillId: created });
      return created;
    });
    return this.view((await this.repo.get(id))!);
  }

  async updateLandfill(p: UserPrincipal, id: string, input: LandfillInput) {
    const before = await this.repo.get(id);
    if (!before) throw LandfillsErrors.notFound();
    await this.checkLandfill(input, id);
    await this.dataSource.transaction(async (m) => {
      await this.repo.updateLandfill(m, id, input);
      await this.audit.write(m, { actorId: p.userId, actorRole: p.role, action: 'landfill.update', objectType: 'landfill', objectId: id, cityId: input.cityIds[0] ?? null, before: this.view(before), after: auditView(input) });
      await this.outbox.enqueue(m, 'landfills.forecast', { landfillId: id });
    });
    return this.view((await this.repo.get(id))!);
  }

  /** A weighbridge key for a landfill: returned this once, stored as SHA-256. */
  async issueWeighbridge(p: UserPrincipal, landfillId: string, name: string) {
    if (!(await this.repo.get(landfillId))) throw LandfillsErrors.field('landfillId', 'no landfill has this id');
    const apiKey = `taza_wb_${randomBytes(27).toString('base64url')}`;
    const row = await this.dataSource.transaction(async (m) => {
      const created = await this.repo.insertWeighbridge(m, landfillId, name.trim(), keyHash(apiKey), p.userId);
      await this.audit.write(m, { actorId: p.userId, actorRole: p.role, action: 'weighbridge.issue', objectType: 'weighbridge', objectId: created.id, cityId: null, before: null, after: { landfillId, name: created.name } });
      return created;
    });
    return { ...row, apiKey };
  }

  listWeighbridges() {
    return this.repo.listWeighbridges();
  }

  async revokeWeighbridge(p: UserPrincipal, id: string) {
    await this.dataSource.transaction(async (m) => {
      const landfillId = await this.repo.revokeWeighbridge(m, id);
      if (!landfillId) throw LandfillsErrors.notFound('weighbridge');
      await this.audit.write(m, { actorId: p.userId, actorRole: p.role, action: 'weighbridge.revoke', objectType: 'weighbridge', objectId: id, cityId: null, before: null, after: { landfillId, revoked: true } });
    });
    return { id, revoked: true };
  }

  // ---- demo ------------------------------------------------------------------------------------

  /**
   * A landfill per demo city with a year of daily intake (ending yesterday), quarterly surveys and
   * monthly diversion; Kostanay's at about 91 % full, Astana's comfortable. Then each is forecast, which
   * raises Kostanay's alerts and queues their emails. A second run adds nothing.
   */
  async loadDemoLandfills(): Promise<number> {
    if (!this.config.DEMO_DATA) return 0;
    let created = 0;
    for (const demo of DEMO_LANDFILLS) {
      const cityId = await this.repo.cityIdBySlug(demo.city);
      if (!cityId || (await this.repo.landfillIdByName(demo.name))) continue;
      const id = await this.dataSource.transaction(async (m) => {
        const landfillId = await this.repo.insertLandfill(m, { ...demo, density: 0.8, cityIds: [cityId] });
        const today = (await this.repo.get(landfillId, m))!.today;
        const s = demoSeries(demo, today);
        await this.repo.insertIntake(m, landfillId, s.intake.map((x) => ({ ...x, plate: null, sourceCityId: cityId, externalId: null })), { userId: null, weighbridgeId: null });
        await this.repo.insertSurveys(m, landfillId, s.surveys, null);
        for (const d of s.diversion) await this.repo.insertDiversion({ ...d, cityId, userId: null }, m);
        return landfillId;
      });
      if (demo.city === 'kostanay') await this.repo.insertWeighbridgeIfMissing(id, 'Kostanay gate scale', keyHash(DEMO_WEIGHBRIDGE_KEY));
      await this.refresh(id);
      created += 1;
    }
    return created;
  }

  // ---- helpers -------------------------------------------------------------------------------

  private async computeForecast(l: LandfillRow, divertPercent: number, projectDays: number) {
    const now = await this.fillNow(l);
    // The rate window ends yesterday: today's tickets are still arriving.
    const end = addDays(l.today, -1);
    const start = addDays(end, -(FORECAST_WINDOW_DAYS - 1));
    const rows = await this.repo.dailyIntake(l.id, start, end);
    const by = new Map(rows.map((r) => [r.day, r.tonnes]));
    const daily = Array.from({ length: FORECAST_WINDOW_DAYS }, (_, i) => by.get(addDays(start, i)) ?? 0);
    const result: Forecast = forecast({ dailyTonnes: daily, usedM3: now.usedM3, capacityM3: l.capacityM3, density: l.density, divertPercent, projectDays });
    const date = (d: number | null) => (d === null ? null : addDays(l.today, d));
    const milestones = result.milestones.map((x) => ({ percent: x.percent, reached: x.reached, date: x.reached ? null : date(x.days), low: x.reached ? null : date(x.daysLow), high: x.reached ? null : date(x.daysHigh) }));
    return { usedM3: now.usedM3, fillPercent: now.fillPercent, forecast: result, milestones };
  }

  private async fillNow(l: LandfillRow) {
    const base = await this.repo.fillBase(l.id, l.today);
    return { ...fillLevel({ surveyUsedM3: base.survey?.usedM3 ?? 0, intakeSinceTonnes: base.intakeSinceTonnes, density: l.density, capacityM3: l.capacityM3 }), survey: base.survey };
  }

  private async mailAkims(m: EntityManager, l: LandfillRow, levels: AlertLevel[], fillPercent: number, fullOn: string | null, reminder: boolean) {
    const { subject, body } = landfillAlertEmail({ landfillName: l.name, landfillId: l.id, levels, fillPercent, fullOn, reminder, publicUrl: this.notifications.publicUrl });
    for (const to of await this.repo.akimEmails(m, l.id)) await this.notifications.email(m, to, subject, body);
  }

  private async rowContext(l: LandfillRow): Promise<RowContext> {
    const slugs: { id: string; slug: string }[] = await this.repo.citySlugs(l.cityIds);
    const cities = new Map<string, string>();
    for (const c of slugs) {
      cities.set(c.id, c.id);
      cities.set(c.slug, c.id);
    }
    return { today: l.today, capacityM3: l.capacityM3, cities };
  }

  private async readable(p: UserPrincipal, id: string): Promise<LandfillRow> {
    const l = await this.repo.get(id);
    if (!l || !l.cityIds.some((c) => canReadCity(p, c))) throw LandfillsErrors.notFound();
    return l;
  }

  /** Dispatchers of a city using it, and admins, record measurements; others get 404 (or, if they may read it, 404 too). */
  private async recordable(p: UserPrincipal, id: string): Promise<LandfillRow> {
    const l = await this.repo.get(id);
    if (!l || !(p.role === 'admin' || l.cityIds.some((c) => canManageCity(p, c)))) throw LandfillsErrors.notFound();
    return l;
  }

  private async checkLandfill(input: LandfillInput, id: string | null) {
    const problems: FieldProblem[] = [];
    if (await this.repo.nameTaken(input.name, id)) problems.push({ field: 'name', message: 'name is used by another landfill' });
    const geometryWrong = await this.repo.geometryProblem(input.geometry);
    if (geometryWrong) problems.push({ field: 'geometry', message: `geometry ${geometryWrong}` });
    const found = await this.repo.citiesExist(input.cityIds);
    const missing = input.cityIds.filter((c) => !found.includes(c));
    if (missing.length) problems.push({ field: 'cityIds', message: `no city has the id ${missing.join(', ')}` });
    if (input.openedOn && dayProblem(input.openedOn, new Date().toISOString().slice(0, 10))) problems.push({ field: 'openedOn', message: `openedOn ${dayProblem(input.openedOn, new Date().toISOString().slice(0, 10))}` });
    if (problems.length) throw LandfillsErrors.fields(problems);
  }

  private view(l: LandfillRow) {
    return { id: l.id, name: l.name, status: l.status, capacityM3: l.capacityM3, densityTPerM3: l.density, openedOn: l.openedOn, operator: l.operator, cityIds: l.cityIds };
  }
}

type MilestoneDates = { percent: number; reached: boolean; date: string | null; low: string | null; high: string | null };

/** Milestones keyed by line: {"80": {reached, date, low, high}, ...}. */
function thresholdsOf(milestones: MilestoneDates[]): Record<string, Omit<MilestoneDates, 'percent'>> {
  return Object.fromEntries(milestones.map(({ percent, ...rest }) => [String(percent), rest]));
}

function storedView(f: StoredForecast | undefined) {
  if (!f) return null;
  const { milestones, ...rest } = f;
  return { ...rest, thresholds: thresholdsOf(milestones) };
}

/** CSV column names to the JSON body's names. */
function jsonField(f: string): string {
  return ({ date: 'date', tonnes: 'tonnes', plate: 'plate', source_city: 'sourceCity', ticket: 'ticketId', used_m3: 'usedM3', method: 'method', note: 'note' } as Record<string, string>)[f] ?? f;
}

/** What the audit trail keeps of a landfill change (the polygon is left out: it is long and in the table). */
function auditView(l: LandfillInput) {
  return { name: l.name, status: l.status, capacityM3: l.capacityM3, density: l.density, openedOn: l.openedOn, operator: l.operator, cityIds: l.cityIds };
}

function round(n: number, digits: number): number {
  const k = 10 ** digits;
  return Math.round(n * k) / k;
}
