import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { UserPrincipal } from '../../../../libs/accounts/src/index.js';
import { IncidentsService, type CameraCaller, type IncidentFiles } from '../../../../libs/incidents/src/index.js';
import { CameraSigned, CurrentCamera, CurrentPrincipal, Roles, type AuthedRequest } from '../auth/access.decorator.js';
import { isMultipart } from '../common/multipart.js';
import { parseBufferedMultipart } from '../common/signed-multipart.js';
import { DismissDto, IncidentIdParam, IncidentListQuery, IncidentMediaParam } from './incidents.dto.js';

/** Incidents from cameras (signed), and the staff's review queue and reads. */
@ApiTags('incidents')
@Controller('api/v1')
export class IncidentsController {
  constructor(@Inject(IncidentsService) private readonly incidents: IncidentsService) {}

  @Post('incidents')
  @CameraSigned()
  @ApiConsumes('application/json', 'multipart/form-data')
  @ApiOperation({
    summary: 'A camera reports an incident (signed, docs/cameras.md): JSON, or multipart with a `snapshot` JPEG and/or a `clip` MP4',
    description: '201 stored; 200 the same (camera, eventId) and body again (nothing stored); 409 the same eventId with a different body.',
  })
  async create(@CurrentCamera() camera: CameraCaller, @Req() request: AuthedRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    let fields: unknown = request.body;
    const files: IncidentFiles = {};
    if (isMultipart(request)) {
      const form = await parseBufferedMultipart(request.rawBody ?? Buffer.alloc(0), String(request.headers['content-type']), ['snapshot', 'clip']);
      fields = form.fields;
      for (const f of form.files) files[f.field as keyof IncidentFiles] = f.bytes;
    }
    const result = await this.incidents.ingest(camera, fields, files);
    void reply.status(result.statusCode).header('cache-control', 'no-store');
    return result.body;
  }

  // `::` is a literal colon in a Fastify path: POST /api/v1/incidents:batch
  @Post('incidents::batch')
  @CameraSigned()
  @HttpCode(200)
  @ApiOperation({ summary: 'Up to 500 incidents at once (signed; no files): each item answers created, duplicate or rejected with its reason' })
  batch(@CurrentCamera() camera: CameraCaller, @Req() request: AuthedRequest) {
    return this.incidents.ingestBatch(camera, request.body);
  }

  @Get('incidents')
  @Roles('dispatcher', 'akim', 'admin')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Incidents of the cities you may read, newest first; status=pending is the review queue' })
  list(@CurrentPrincipal() p: UserPrincipal, @Query() q: IncidentListQuery) {
    return this.incidents.list(p, q);
  }

  @Get('incidents/:id')
  @Roles('dispatcher', 'akim', 'admin')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'One incident' })
  get(@CurrentPrincipal() p: UserPrincipal, @Param() params: IncidentIdParam) {
    return this.incidents.get(p, params.id);
  }

  @Get('incidents/:id/:media')
  @Roles('dispatcher', 'akim', 'admin')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The incident\'s `snapshot` (JPEG) or `clip` (MP4): staff only, they may show plates and faces' })
  async media(@CurrentPrincipal() p: UserPrincipal, @Param() params: IncidentMediaParam, @Res() reply: FastifyReply) {
    const file = await this.incidents.media(p, params.id, params.media);
    void reply.header('content-type', file.contentType).header('cache-control', 'private, no-store').send(file.data);
  }

  @Post('incidents/:id/confirm')
  @Roles('dispatcher')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Confirm a pending incident: it becomes a report (source cctv), or joins an open one within 25 m' })
  confirm(@CurrentPrincipal() p: UserPrincipal, @Param() params: IncidentIdParam) {
    return this.incidents.confirm(p, params.id);
  }

  @Post('incidents/:id/dismiss')
  @Roles('dispatcher')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Dismiss a pending incident with a reason (counts against the camera\'s precision)' })
  dismiss(@CurrentPrincipal() p: UserPrincipal, @Param() params: IncidentIdParam, @Body() body: DismissDto) {
    return this.incidents.dismiss(p, params.id, body.reason);
  }
}
