import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { UserPrincipal } from '../../../../libs/accounts/src/index.js';
import { GEOJSON_CONTENT_TYPE } from '../../../../libs/core/src/index.js';
import { VIDEO_MAX_BYTES } from '../../../../libs/media/src/index.js';
import { MAX_PHOTOS, ReportsErrors, ReportsService, type Caller } from '../../../../libs/reports/src/index.js';
import { CurrentPrincipal, Public, Roles, SignedIn, type AuthedRequest } from '../auth/access.decorator.js';
import { validateDto } from '../common/dto-validation.js';
import { isMultipart, readMultipart, type MultipartForm } from '../common/multipart.js';
import { CreateReportDto, ListReportsQuery, MediaIdParam, NearbyQuery, RatingDto, ReportIdParam, TransitionDto } from './reports.dto.js';

const TRACKING_HEADER = 'x-tracking-token';
const IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{8,128}$/;

function caller(request: FastifyRequest): Caller {
  const token = request.headers[TRACKING_HEADER];
  return {
    principal: (request as AuthedRequest).principal ?? null,
    ip: request.ip ?? null,
    requestId: String(request.id),
    trackingToken: typeof token === 'string' && token.length <= 200 ? token : null,
  };
}

@ApiTags('reports')
@Controller('api/v1')
export class ReportsController {
  constructor(@Inject(ReportsService) private readonly reports: ReportsService) {}

  @Get('categories')
  @Public()
  @ApiOperation({ summary: 'Dump categories (names in kk/ru/en); also the Open311 services' })
  categories() {
    return this.reports.categories();
  }

  @Post('reports')
  @Public()
  @ApiConsumes('application/json', 'multipart/form-data')
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'the same key and body within 24 h returns the first result' })
  @ApiOperation({
    summary: 'Report a dump: JSON, or multipart with the same fields plus up to 5 `photos` or one `video`',
    description: '201 with a new report, or 200 when it joined an open report of the same category within 25 m. Anonymous reporters get a tracking token, shown once.',
  })
  async create(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply, @Headers('idempotency-key') idempotencyKey?: string) {
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw ReportsErrors.field('Idempotency-Key', 'must be 8-128 characters of letters, digits, _ . : -');
    }
    let form: MultipartForm = { fields: {}, files: [] };
    if (isMultipart(request)) form = await readMultipart(request, { maxFiles: MAX_PHOTOS, maxFileBytes: VIDEO_MAX_BYTES, fileFields: ['photos', 'video'] });
    const dto = await validateDto(CreateReportDto, isMultipart(request) ? form.fields : request.body);
    const result = await this.reports.create(dto, form.files, caller(request), { source: 'web', idempotencyKey: idempotencyKey ?? null });
    void reply.status(result.statusCode).header('cache-control', 'no-store');
    if (!result.body.joined) void reply.header('location', `/api/v1/reports/${result.body.reportId}`);
    return result.body;
  }

  @Get('reports')
  @Public()
  @ApiOperation({ summary: 'Reports as a GeoJSON FeatureCollection (public fields), filtered and paged' })
  async list(@Query() q: ListReportsQuery, @Res({ passthrough: true }) reply: FastifyReply) {
    const bbox = q.bbox ? (q.bbox.split(',').map(Number) as [number, number, number, number]) : undefined;
    if (bbox && (bbox[0] >= bbox[2] || bbox[1] >= bbox[3])) throw ReportsErrors.field('bbox', 'min must be below max');
    void reply.header('content-type', GEOJSON_CONTENT_TYPE);
    return this.reports.list({
      bbox,
      statuses: q.status,
      category: q.category,
      cityId: q.cityId,
      districtId: q.districtId,
      from: q.from ? new Date(q.from) : undefined,
      to: q.to ? new Date(q.to) : undefined,
      limit: q.limit,
      offset: q.offset,
    });
  }

  @Get('reports/nearby')
  @Public()
  @ApiOperation({ summary: 'Up to 5 open reports within 200 m of a point, nearest first (for the report form)' })
  nearby(@Query() q: NearbyQuery) {
    return this.reports.nearby(q.lon, q.lat);
  }

  @Get('me/reports')
  @SignedIn()
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The reports I sent or confirmed (GeoJSON)' })
  async mine(@CurrentPrincipal() principal: UserPrincipal, @Query() q: ListReportsQuery, @Res({ passthrough: true }) reply: FastifyReply) {
    void reply.header('content-type', GEOJSON_CONTENT_TYPE);
    return this.reports.list({ reporterId: principal.userId, limit: q.limit, offset: q.offset, statuses: q.status });
  }

  @Get('reports/:id')
  @Public()
  @ApiHeader({ name: 'X-Tracking-Token', required: false, description: 'an anonymous reporter sees their private fields' })
  @ApiOperation({ summary: 'One report: public fields, plus private ones for its reporter and for staff in scope' })
  get(@Param() p: ReportIdParam, @Req() request: FastifyRequest) {
    return this.reports.get(p.id, caller(request));
  }

  @Get('reports/:id/history')
  @Public()
  @ApiOperation({ summary: 'The report\'s status timeline' })
  history(@Param() p: ReportIdParam, @Req() request: FastifyRequest) {
    return this.reports.history(p.id, caller(request));
  }

  @Post('reports/:id/transitions')
  @Roles('dispatcher')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiConsumes('application/json', 'multipart/form-data')
  @ApiOperation({ summary: 'Register, start, resolve (note + "after" photos as multipart `photos`), reject (reason) or mark a duplicate (duplicateOf)' })
  async transition(@Param() p: ReportIdParam, @Req() request: FastifyRequest, @CurrentPrincipal() principal: UserPrincipal) {
    let form: MultipartForm = { fields: {}, files: [] };
    if (isMultipart(request)) form = await readMultipart(request, { maxFiles: MAX_PHOTOS, maxFileBytes: VIDEO_MAX_BYTES, fileFields: ['photos'] });
    const dto = await validateDto(TransitionDto, isMultipart(request) ? form.fields : request.body);
    return this.reports.act(p.id, dto.action, principal, { note: dto.note, reason: dto.reason, duplicateOf: dto.duplicateOf, afterPhotos: form.files }, String(request.id));
  }

  @Post('reports/:id/rating')
  @Public()
  @HttpCode(200)
  @ApiHeader({ name: 'X-Tracking-Token', required: false })
  @ApiOperation({ summary: 'The reporter rates a resolved report 1-5 within 14 days: 3+ closes it, below 3 returns it' })
  rate(@Param() p: ReportIdParam, @Body() body: RatingDto, @Req() request: FastifyRequest) {
    return this.reports.rate(p.id, caller(request), body.rating, body.comment);
  }

  @Get('media/:id')
  @Public()
  @ApiOperation({ summary: 'A report photo or video (metadata stripped)' })
  async media(@Param() p: MediaIdParam, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    await this.sendMedia(p.id, 'full', request, reply);
  }

  @Get('media/:id/thumbnail')
  @Public()
  @ApiOperation({ summary: 'A photo\'s thumbnail' })
  async thumbnail(@Param() p: MediaIdParam, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    await this.sendMedia(p.id, 'thumbnail', request, reply);
  }

  private async sendMedia(id: string, variant: 'full' | 'thumbnail', request: FastifyRequest, reply: FastifyReply) {
    const file = await this.reports.mediaFile(id, variant, caller(request));
    void reply
      .header('content-type', file.contentType)
      .header('content-disposition', `inline; filename="${file.filename}"`)
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'public, max-age=86400')
      .header('content-security-policy', "default-src 'none'")
      .send(file.data);
  }
}
