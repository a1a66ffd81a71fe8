import { Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../../../../libs/accounts/src/index.js';
import { ANONYMOUS, TilesService, type Viewer } from '../../../../libs/maps/src/index.js';
import { CurrentPrincipal, Public } from '../auth/access.decorator.js';

export const MVT_CONTENT_TYPE = 'application/vnd.mapbox-vector-tile';
const STAFF_ROLES = new Set(['dispatcher', 'akim', 'admin']);

function viewerOf(principal: Principal | null): Viewer {
  if (!principal) return ANONYMOUS;
  return { signedIn: true, staff: STAFF_ROLES.has(principal.role), cityId: principal.role === 'admin' ? null : principal.cityId };
}

/** RFC 9110 If-None-Match: weak comparison, a list or "*". */
function notModified(header: string | string[] | undefined, etag: string): boolean {
  if (!header) return false;
  const tags = [header].flat().join(',').split(',').map((t) => t.trim().replace(/^W\//, ''));
  return tags.includes('*') || tags.includes(etag);
}

@ApiTags('maps')
@Controller('tiles')
export class TilesController {
  constructor(@Inject(TilesService) private readonly tiles: TilesService) {}

  @Get(':layer/:z/:x/:y.mvt')
  @Public()
  @ApiProduces(MVT_CONTENT_TYPE)
  @ApiParam({ name: 'layer', example: 'reports', description: 'reports, districts; cameras (staff)' })
  @ApiQuery({ name: 'status', required: false, description: 'reports: statuses, comma-separated' })
  @ApiQuery({ name: 'category', required: false, description: 'reports: category codes, comma-separated' })
  @ApiQuery({ name: 'from', required: false, description: 'reports: ISO 8601, created at or after (by month below z11)' })
  @ApiQuery({ name: 'to', required: false, description: 'reports: ISO 8601, created before (by month below z11)' })
  @ApiOperation({ summary: 'A Mapbox Vector Tile; 204 when the tile is empty, 304 for a matching If-None-Match' })
  async tile(
    @Param() p: { layer: string; z: string; x: string; y: string },
    @Query() query: Record<string, unknown>,
    @CurrentPrincipal() principal: Principal | null,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const result = await this.tiles.tile(p.layer, p, query ?? {}, viewerOf(principal));
    void reply.header('cache-control', result.cacheControl);
    if (!result.tile || !result.etag) {
      void reply.status(204).send();
      return;
    }
    void reply.header('etag', result.etag);
    if (notModified(request.headers['if-none-match'], result.etag)) {
      void reply.status(304).send();
      return;
    }
    void reply.status(200).header('content-type', MVT_CONTENT_TYPE).send(result.tile);
  }

  @Get(':layer.json')
  @Public()
  @ApiParam({ name: 'layer', example: 'reports' })
  @ApiOperation({ summary: 'TileJSON 3.0.0 of a layer; filters given here are carried into the tile URL' })
  async tileJson(
    @Param('layer') layer: string,
    @Query() query: Record<string, unknown>,
    @CurrentPrincipal() principal: Principal | null,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const viewer = viewerOf(principal);
    const body = await this.tiles.tileJson(layer, query ?? {}, `${request.protocol}://${request.host}`, viewer);
    void reply.header('cache-control', `${this.tiles.layer(layer, viewer).access === 'public' ? 'public' : 'private'}, max-age=60`);
    return body;
  }
}
