import { Controller, Get, Inject, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiConsumes, ApiHeader, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppConfig } from '../../../../libs/core/src/index.js';
import {
  isOpen311Format,
  Open311Errors,
  Open311Service,
  renderOpen311,
  type Open311Format,
  type Open311Origin,
  type Params,
  type Rendered,
} from '../../../../libs/open311/src/index.js';
import { Public } from '../auth/access.decorator.js';
import { Open311ExceptionFilter } from './open311-exception.filter.js';

const IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{8,128}$/;
const HOST = /^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(:\d{1,5})?$/;

function formatOf(format: string): Open311Format {
  if (!isOpen311Format(format)) throw Open311Errors.formatNotFound();
  return format;
}

function paramsOf(request: FastifyRequest): Params {
  return (request.query ?? {}) as Params;
}

function send(reply: FastifyReply, rendered: Rendered, status = 200, cache = 'no-cache') {
  void reply.status(status).header('content-type', rendered.contentType).header('cache-control', cache).send(rendered.body);
}

/**
 * Open311 GeoReport v2 (wiki.open311.org/GeoReport_v2) plus page/page_size, lat/long/radius, locale and
 * mySociety's servicerequestupdates. Public: POST checks its own api_key. docs/open311.md describes it.
 */
@ApiTags('open311')
@Controller('open311/v2')
@UseFilters(Open311ExceptionFilter)
export class Open311Controller {
  constructor(
    @Inject(Open311Service) private readonly open311: Open311Service,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  private origin(request: FastifyRequest): Open311Origin {
    const host = HOST.test(request.host ?? '') ? request.host : 'localhost';
    return { origin: `${request.protocol}://${host}`, production: this.config.NODE_ENV === 'production' };
  }

  @Get('discovery.:format')
  @Public()
  @ApiParam({ name: 'format', enum: ['json', 'xml'] })
  @ApiOperation({ summary: 'Open311 discovery: endpoint, specification, formats' })
  discovery(@Param('format') format: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    send(reply, renderOpen311(formatOf(format), 'discovery', this.open311.discovery(this.origin(request))), 200, 'public, max-age=300');
  }

  @Get('services.:format')
  @Public()
  @ApiParam({ name: 'format', enum: ['json', 'xml'] })
  @ApiOperation({ summary: 'Open311 services: our dump categories (?locale=kk|ru|en, default en)' })
  async services(@Param('format') format: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const f = formatOf(format);
    send(reply, renderOpen311(f, 'services', await this.open311.services(paramsOf(request))), 200, 'public, max-age=300');
  }

  @Get('services/:code.:format')
  @Public()
  @ApiParam({ name: 'format', enum: ['json', 'xml'] })
  @ApiOperation({ summary: 'Open311 service definition: attributes size (required) and waste_types' })
  async definition(@Param('code') code: string, @Param('format') format: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const f = formatOf(format);
    send(reply, renderOpen311(f, 'service_definition', await this.open311.serviceDefinition(code, paramsOf(request))), 200, 'public, max-age=300');
  }

  @Post('requests.:format')
  @Public()
  @ApiParam({ name: 'format', enum: ['json', 'xml'] })
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'the same key and body within 24 h returns the first result' })
  @ApiOperation({ summary: 'Open311 POST service request (api_key required): 201 new, 200 joined an open report within 25 m' })
  async create(@Param('format') format: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const f = formatOf(format);
    const key = request.headers['idempotency-key'];
    if (key !== undefined && (typeof key !== 'string' || !IDEMPOTENCY_KEY.test(key))) {
      throw Open311Errors.field('Idempotency-Key', 'must be 8-128 characters of letters, digits, _ . : -');
    }
    const body = request.body;
    if (body === null || typeof body !== 'object' || Array.isArray(body) || Buffer.isBuffer(body)) {
      throw Open311Errors.field('body', 'send the fields as application/x-www-form-urlencoded');
    }
    const result = await this.open311.create({ ...paramsOf(request), ...(body as Params) }, { ip: request.ip ?? null, requestId: String(request.id), idempotencyKey: key ?? null });
    send(reply, renderOpen311(f, 'service_requests', result.body), result.statusCode, 'no-store');
  }

  @Get('requests.:format')
  @Public()
  @ApiParam({ name: 'format', enum: ['json', 'xml'] })
  @ApiOperation({
    summary: 'Open311 service requests (public fields)',
    description: 'service_request_id (comma list; overrides the rest), service_code, status open|closed, start_date/end_date (ISO 8601, at most 90 days apart; default the last 90 days), page/page_size (50, max 200), lat/long/radius (m), locale.',
  })
  async list(@Param('format') format: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const f = formatOf(format);
    send(reply, renderOpen311(f, 'service_requests', await this.open311.list(paramsOf(request), this.origin(request))));
  }

  @Get('requests/:id.:format')
  @Public()
  @ApiParam({ name: 'format', enum: ['json', 'xml'] })
  @ApiOperation({ summary: 'One Open311 service request (an array of one)' })
  async get(@Param('id') id: string, @Param('format') format: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const f = formatOf(format);
    send(reply, renderOpen311(f, 'service_requests', await this.open311.get(id, paramsOf(request), this.origin(request))));
  }

  @Get('tokens/:token.:format')
  @Public()
  @ApiParam({ name: 'format', enum: ['json', 'xml'] })
  @ApiOperation({ summary: 'The service_request_id of a token returned by POST requests' })
  async token(@Param('token') token: string, @Param('format') format: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const f = formatOf(format);
    send(reply, renderOpen311(f, 'service_requests', await this.open311.token(token, paramsOf(request))), 200, 'no-store');
  }

  @Get('servicerequestupdates.:format')
  @Public()
  @ApiParam({ name: 'format', enum: ['json', 'xml'] })
  @ApiOperation({ summary: 'mySociety extension: status updates between start_date and end_date (public notes only)' })
  async updates(@Param('format') format: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const f = formatOf(format);
    send(reply, renderOpen311(f, 'service_request_updates', await this.open311.updates(paramsOf(request), this.origin(request)), { wrapJson: true }));
  }
}
