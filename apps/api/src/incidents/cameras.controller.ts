import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { GEOJSON_CONTENT_TYPE } from '../../../../libs/core/src/index.js';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { UserPrincipal } from '../../../../libs/accounts/src/index.js';
import { CamerasService, IncidentsErrors, type CameraCaller } from '../../../../libs/incidents/src/index.js';
import { CameraSigned, CurrentCamera, CurrentPrincipal, Roles, type AuthedRequest } from '../auth/access.decorator.js';
import { CameraIdParam, CameraKeyParam, CameraListQuery, CreateCameraDto, CreateCameraKeyDto, UpdateCameraDto } from './incidents.dto.js';

const SIGNED_HEADERS = ['X-Camera-Key', 'X-Timestamp', 'X-Nonce', 'X-Signature'];

/** The camera registry: admins register cameras and their keys; staff see them; cameras send heartbeats. */
@ApiTags('cameras')
@Controller('api/v1')
export class CamerasController {
  constructor(@Inject(CamerasService) private readonly cameras: CamerasService) {}

  @Get('cameras')
  @Roles('dispatcher', 'akim', 'admin')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Cameras of the cities you may read (GeoJSON points): view sector, status (offline first), last heartbeat, precision' })
  list(@CurrentPrincipal() p: UserPrincipal, @Query() q: CameraListQuery, @Res({ passthrough: true }) reply: FastifyReply) {
    void reply.header('content-type', GEOJSON_CONTENT_TYPE);
    return this.cameras.list(p, q.cityId, q.status);
  }

  @Get('cameras/:id')
  @Roles('dispatcher', 'akim', 'admin')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'One camera (GeoJSON Feature)' })
  get(@CurrentPrincipal() p: UserPrincipal, @Param() params: CameraIdParam, @Res({ passthrough: true }) reply: FastifyReply) {
    void reply.header('content-type', GEOJSON_CONTENT_TYPE);
    return this.cameras.get(p, params.id);
  }

  @Post('admin/cameras')
  @Roles('admin')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Register a camera (its position decides the city); then create a key for it' })
  create(@Body() body: CreateCameraDto) {
    return this.cameras.create(body);
  }

  @Patch('admin/cameras/:id')
  @Roles('admin')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Change a camera: position, view, heartbeat interval, auto-confirm confidence, status (retire)' })
  update(@Param() params: CameraIdParam, @Body() body: UpdateCameraDto) {
    return this.cameras.update(params.id, body);
  }

  @Post('admin/cameras/:id/keys')
  @Roles('admin')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Create a signing key: the secret is in this answer only. At most two active keys per camera' })
  createKey(@Param() params: CameraIdParam, @Body() body: CreateCameraKeyDto, @CurrentPrincipal() p: UserPrincipal) {
    return this.cameras.createKey(params.id, p.userId, body.keyId);
  }

  @Get('admin/cameras/:id/keys')
  @Roles('admin')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'A camera\'s keys with their last use (never the secrets)' })
  keys(@Param() params: CameraIdParam) {
    return this.cameras.keys(params.id);
  }

  @Delete('admin/cameras/:id/keys/:keyId')
  @Roles('admin')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Revoke a key: refused from its next request on' })
  async revokeKey(@Param() params: CameraKeyParam) {
    await this.cameras.revokeKey(params.id, params.keyId);
  }

  @Post('cameras/heartbeat')
  @CameraSigned()
  @HttpCode(200)
  @ApiOperation({ summary: 'A camera says it is alive (signed, docs/cameras.md); an empty body or {}' })
  @ApiHeader({ name: SIGNED_HEADERS.join(', '), description: 'the signing headers of DESIGN.md' })
  heartbeat(@CurrentCamera() camera: CameraCaller, @Req() request: AuthedRequest) {
    const body = request.body;
    if (body !== undefined && body !== null && (typeof body !== 'object' || Array.isArray(body) || Object.keys(body).length > 0)) {
      throw IncidentsErrors.field('body', 'a heartbeat carries no fields; send an empty body or {}');
    }
    return this.cameras.heartbeat(camera);
  }
}
