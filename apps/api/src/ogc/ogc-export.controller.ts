import { Readable } from 'node:stream';
import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { GEOJSON_TYPE, OGC_EXPORT_CAP, OgcService } from '../../../../libs/ogc/src/index.js';
import { Public } from '../auth/access.decorator.js';
import { OgcFilterQuery } from './ogc.dto.js';

/** GeoJSON downloads of the OGC collections (the same collections, filters and public fields as /ogc). */
@ApiTags('ogc')
@Controller('api/v1/export')
export class OgcExportController {
  constructor(@Inject(OgcService) private readonly ogc: OgcService) {}

  @Get(':collectionId.geojson')
  @Public()
  @ApiProduces(GEOJSON_TYPE)
  @ApiOperation({
    summary: 'Download a whole collection as one GeoJSON file (optionally filtered by bbox and datetime)',
    description: `Streamed in key order; at most ${OGC_EXPORT_CAP} features (X-Truncated: true when the filter matched more; narrow it by bbox/datetime).`,
  })
  async download(@Param('collectionId') id: string, @Query() q: OgcFilterQuery, @Res() reply: FastifyReply) {
    const { matched, truncated, chunks } = await this.ogc.export(id, q);
    const date = new Date().toISOString().slice(0, 10);
    void reply
      .header('content-type', GEOJSON_TYPE)
      .header('content-disposition', `attachment; filename="taza-${id}-${date}.geojson"`)
      .header('cache-control', 'no-store')
      .header('x-total-count', String(matched))
      .header('x-truncated', String(truncated))
      .send(Readable.from(chunks));
  }
}
