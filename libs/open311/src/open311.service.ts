import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DomainError, type FieldProblem } from '../../core/src/index.js';
import { OPEN311_OPEN, ReportsService, type ReportSize } from '../../reports/src/index.js';
import {
  ATTRIBUTE_TEXT,
  GEOREPORT_V2_SPEC,
  OPEN311_CHANGESET,
  SERVICE_GROUP,
  SIZE_VALUES,
  WASTE_TYPE_VALUES,
  serviceDescription,
  type Locale,
  type Localized,
} from './open311-catalogue.js';
import { Open311ClientsService } from './open311-clients.service.js';
import { jurisdictionOf, parseLocale, parseRequestsQuery, parseServiceRequest, parseUpdatesQuery, type Params } from './open311-input.js';
import { Open311RequestsRepository, type Open311RequestRow } from './open311-requests.repository.js';
import { Open311Error, Open311Errors } from './open311.errors.js';

/** Where the caller reached us: absolute URLs in answers are built from it. */
export interface Open311Origin {
  /** e.g. `https://taza.example` (no trailing slash) */
  origin: string;
  production: boolean;
}

export interface Open311CreateContext {
  ip: string | null;
  requestId: string;
  idempotencyKey: string | null;
}

/** Our field names -> the Open311 form's, for errors raised by the reports domain. */
const FIELD_NAMES: Record<string, string> = {
  lon: 'long',
  lat: 'lat',
  category: 'service_code',
  size: 'attribute[size]',
  wasteTypes: 'attribute[waste_types]',
  contactEmail: 'email',
  contactPhone: 'phone',
};

type Category = { code: string; name: Localized; hazardous: boolean };

/**
 * Open311 GeoReport v2 over our reports: categories are the services, reports the service requests.
 * Everything shown is public; the reporter's contacts never leave through here.
 */
@Injectable()
export class Open311Service {
  constructor(
    @Inject(ReportsService) private readonly reports: ReportsService,
    @Inject(Open311RequestsRepository) private readonly requests: Open311RequestsRepository,
    @Inject(Open311ClientsService) private readonly clients: Open311ClientsService,
  ) {}

  discovery(where: Open311Origin) {
    return {
      changeset: OPEN311_CHANGESET,
      contact: `Taza Map administrators of ${where.origin}; the REST API and its documentation are at ${where.origin}/api/docs`,
      key_service: 'API keys are issued by the administrators of this deployment (POST /api/v1/admin/open311-clients); send yours as api_key when you POST requests.',
      endpoints: [
        {
          specification: GEOREPORT_V2_SPEC,
          url: `${where.origin}/open311/v2`,
          changeset: OPEN311_CHANGESET,
          type: where.production ? 'production' : 'test',
          formats: ['text/xml', 'application/json'],
        },
      ],
    };
  }

  /** jurisdiction_id is optional; when given it must name a city we serve (its slug or id). */
  async checkJurisdiction(params: Params): Promise<void> {
    const id = jurisdictionOf(params);
    if (id !== undefined && !(await this.requests.jurisdictionExists(id))) throw Open311Errors.jurisdictionNotFound();
  }

  async services(params: Params) {
    const locale = this.locale(params);
    await this.checkJurisdiction(params);
    return (await this.categories()).map((c) => ({
      service_code: c.code,
      service_name: c.name[locale],
      description: serviceDescription(c.name[locale], c.hazardous, locale),
      metadata: true,
      type: 'realtime',
      keywords: [c.code, ...Object.values(c.name)].join(', '),
      group: (c.hazardous ? SERVICE_GROUP.hazardous : SERVICE_GROUP.dumps)[locale],
    }));
  }

  /** The attributes every service takes: `size` (required) and `waste_types` (optional, several). */
  async serviceDefinition(code: string, params: Params) {
    const locale = this.locale(params);
    await this.checkJurisdiction(params);
    const category = (await this.categories()).find((c) => c.code === code);
    if (!category) throw Open311Errors.serviceNotFound();
    const values = (labels: Record<string, Localized>) => Object.entries(labels).map(([key, name]) => ({ key, name: name[locale] }));
    return {
      service_code: category.code,
      attributes: [
        { variable: true, code: 'size', datatype: 'singlevaluelist', required: true, datatype_description: null, order: 1, description: ATTRIBUTE_TEXT.size[locale], values: values(SIZE_VALUES) },
        {
          variable: true, code: 'waste_types', datatype: 'multivaluelist', required: false, datatype_description: null, order: 2,
          description: ATTRIBUTE_TEXT.waste_types[locale], values: values(WASTE_TYPE_VALUES),
        },
      ],
    };
  }

  /**
   * A client posts a request: checked field by field, then created like any report (routing to the
   * akimat, the 25 m merge, Idempotency-Key). A merge answers with the existing request's id.
   */
  async create(params: Params, ctx: Open311CreateContext) {
    const clientId = await this.clients.authenticate(params.api_key);
    await this.checkJurisdiction(params);
    const { value, serviceCode, problems } = parseServiceRequest(params);
    if (serviceCode !== undefined && !(await this.categories()).some((c) => c.code === serviceCode)) {
      problems.unshift({ field: 'service_code', message: 'not a known service_code (see services.json)' });
    }
    if (problems.length || !value) throw Open311Errors.invalid(problems);
    try {
      const result = await this.reports.create(
        {
          lon: value.lon,
          lat: value.lat,
          category: value.serviceCode,
          size: value.size as ReportSize,
          wasteTypes: value.wasteTypes,
          description: value.description,
          contactEmail: value.email,
          contactPhone: value.phone,
        },
        [],
        // The client, not a signed-in account, sends it: the report gets a tracking token like an anonymous one.
        { principal: null, ip: ctx.ip, requestId: ctx.requestId },
        { source: 'open311', idempotencyKey: ctx.idempotencyKey, open311ClientId: clientId },
      );
      const { body } = result;
      return {
        statusCode: result.statusCode,
        body: [{ service_request_id: body.reportId, service_notice: body.message, account_id: null, token: body.trackingToken ?? null }],
      };
    } catch (err) {
      throw this.inOpen311Terms(err);
    }
  }

  async list(params: Params, where: Open311Origin) {
    const { filter, locale } = parseRequestsQuery(params, new Date());
    await this.checkJurisdiction(params);
    return (await this.requests.list(filter)).map((r) => this.request(r, locale, where));
  }

  async get(id: string, params: Params, where: Open311Origin) {
    const locale = this.locale(params);
    await this.checkJurisdiction(params);
    if (!UUID.test(id)) throw Open311Errors.requestNotFound();
    const rows = await this.requests.list({ ids: [id], limit: 1, offset: 0 });
    if (!rows.length) throw Open311Errors.requestNotFound();
    return rows.map((r) => this.request(r, locale, where));
  }

  /** Our tracking tokens are stored hashed: the token itself finds its request. */
  async token(token: string, params: Params) {
    await this.checkJurisdiction(params);
    const id = token.length <= 200 ? await this.requests.reportOfToken(createHash('sha256').update(token).digest()) : null;
    if (!id) throw Open311Errors.tokenNotFound();
    return [{ service_request_id: id, token }];
  }

  /** mySociety's servicerequestupdates: status changes in a window, with public notes only. */
  async updates(params: Params, where: Open311Origin) {
    const filter = parseUpdatesQuery(params, new Date());
    await this.checkJurisdiction(params);
    return (await this.requests.updates(filter)).map((u) => ({
      update_id: u.updateId,
      service_request_id: u.reportId,
      status: OPEN311_OPEN.includes(u.status) ? 'open' : 'closed',
      external_status_code: u.status,
      updated_datetime: new Date(u.at).toISOString(),
      description: u.note ?? UPDATE_TEXT[u.event] ?? '',
      media_url: u.photoId ? mediaUrl(where, u.photoId) : null,
    }));
  }

  private request(r: Open311RequestRow, locale: Locale, where: Open311Origin) {
    return {
      service_request_id: r.id,
      status: OPEN311_OPEN.includes(r.status) ? 'open' : 'closed',
      status_notes: statusNotes(r),
      service_name: r.serviceName[locale],
      service_code: r.serviceCode,
      description: r.description,
      agency_responsible: r.districtName[locale],
      service_notice: r.confirmations > 0 ? `Confirmed by ${r.confirmations} more report${r.confirmations === 1 ? '' : 's'}.` : '',
      requested_datetime: new Date(r.createdAt).toISOString(),
      updated_datetime: new Date(r.updatedAt).toISOString(),
      expected_datetime: null,
      address: '',
      address_id: null,
      zipcode: null,
      lat: r.lat,
      long: r.lon,
      media_url: r.photoId ? mediaUrl(where, r.photoId) : null,
    };
  }

  private locale(params: Params): Locale {
    const problems: FieldProblem[] = [];
    const locale = parseLocale(params, problems);
    if (problems.length) throw Open311Errors.invalid(problems);
    return locale;
  }

  private async categories(): Promise<Category[]> {
    return (await this.reports.categories()).filter((c) => c.active);
  }

  /** Errors of the reports domain, with the Open311 form's field names; 4xx kinds stay as they are. */
  private inOpen311Terms(err: unknown): unknown {
    if (!(err instanceof DomainError) || err instanceof Open311Error) return err;
    const errors = err.errors.map((p) => ({ field: FIELD_NAMES[p.field] ?? p.field, message: p.message }));
    // Open311 clients know 400 for a request they can fix; a point outside every city is one.
    const kind = err.kind === 'unprocessable' ? 'invalid' : err.kind;
    return new Open311Error(kind, err.code, err.message, errors, err.headers);
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const UPDATE_TEXT: Record<string, string> = {
  rated: 'Closed: the reporter confirmed the work.',
  reopened: 'Returned to the akimat: the reporter was not satisfied with the work.',
};

function mediaUrl(where: Open311Origin, mediaId: string): string {
  return `${where.origin}/api/v1/media/${mediaId}`;
}

/** What the akimat said publicly about the current status. */
function statusNotes(r: Open311RequestRow): string {
  if (r.status === 'rejected') return r.rejectionReason ?? '';
  if (r.status === 'duplicate') return r.duplicateOf ? `Duplicate of ${r.duplicateOf}.` : '';
  if (r.status === 'resolved' || r.status === 'closed') return r.resolutionNote ?? '';
  return '';
}
