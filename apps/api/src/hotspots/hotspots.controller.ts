import { Controller, Get, Header, Inject, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { UserPrincipal } from '../../../../libs/accounts/src/index.js';
import { GEOJSON_CONTENT_TYPE } from '../../../../libs/core/src/index.js';
import { HotspotErrors, HotspotsService } from '../../../../libs/hotspots/src/index.js';
import { CurrentPrincipal, Public, Roles } from '../auth/access.decorator.js';
import { HotspotIdParam, HotspotListQuery, SuggestionsQuery } from './hotspots.dto.js';

/** Hotspots: public hulls, counts and status for everyone; every field, reports and history for staff in scope. */
@ApiTags('hotspots')
@ApiBearerAuth()
@Controller('api/v1/hotspots')
export class HotspotsController {
  constructor(@Inject(HotspotsService) private readonly hotspots: HotspotsService) {}

  @Get()
  @Public()
  @Header('content-type', GEOJSON_CONTENT_TYPE)
  @ApiOperation({ summary: 'Hotspots as GeoJSON (hull polygons), highest severity first; filters bbox, cityId, status, outskirts' })
  list(@CurrentPrincipal() p: UserPrincipal | null, @Query() q: HotspotListQuery) {
    const bbox = q.bbox ? (q.bbox.split(',').map(Number) as [number, number, number, number]) : undefined;
    if (bbox && (bbox[0] >= bbox[2] || bbox[1] >= bbox[3])) throw HotspotErrors.field('bbox', 'min must be below max');
    return this.hotspots.list(p, { cityId: q.cityId, bbox, status: q.status, outskirtsOnly: q.outskirts, limit: q.limit });
  }

  @Get('camera-suggestions')
  @Roles('dispatcher', 'akim', 'admin')
  @ApiOperation({ summary: 'Recurring outskirts hotspots no camera sees, ranked, each with a suggested camera position 30-80 m away' })
  suggestions(@CurrentPrincipal() p: UserPrincipal, @Query() q: SuggestionsQuery) {
    return this.hotspots.cameraSuggestions(p, q.cityId, q.limit);
  }

  @Get(':id')
  @Public()
  @Header('content-type', GEOJSON_CONTENT_TYPE)
  @ApiOperation({ summary: 'One hotspot (GeoJSON Feature); staff of its city also get its reports, CCTV incidents and history' })
  get(@CurrentPrincipal() p: UserPrincipal | null, @Param() params: HotspotIdParam) {
    return this.hotspots.get(p, params.id);
  }
}
