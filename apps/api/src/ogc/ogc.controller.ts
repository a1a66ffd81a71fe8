import { Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GEOJSON_TYPE, OgcService, type RequestUrl } from '../../../../libs/ogc/src/index.js';
import { Public } from '../auth/access.decorator.js';
import { OgcDocumentQuery, OgcItemQuery, OgcItemsQuery } from './ogc.dto.js';

/** Absolute links use the caller's scheme and host; Fastify honours X-Forwarded-Proto/Host only with TRUST_PROXY. */
export function requestUrl(request: FastifyRequest): RequestUrl {
  return { base: `${request.protocol}://${request.host}`, url: request.url };
}

@ApiTags('ogc')
@Controller('ogc')
export class OgcController {
  constructor(@Inject(OgcService) private readonly ogc: OgcService) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'OGC API - Features landing page' })
  landing(@Query() _q: OgcDocumentQuery, @Req() request: FastifyRequest) {
    return this.ogc.landing(requestUrl(request));
  }

  @Get('conformance')
  @Public()
  @ApiOperation({ summary: 'OGC API - Features conformance classes (core, GeoJSON, OpenAPI 3.0)' })
  conformance(@Query() _q: OgcDocumentQuery) {
    return this.ogc.conformance();
  }

  @Get('collections')
  @Public()
  @ApiOperation({ summary: 'The feature collections with their extents' })
  collections(@Query() _q: OgcDocumentQuery, @Req() request: FastifyRequest) {
    return this.ogc.collections(requestUrl(request));
  }

  @Get('collections/:collectionId')
  @Public()
  @ApiOperation({ summary: 'One feature collection' })
  collection(@Param('collectionId') id: string, @Query() _q: OgcDocumentQuery, @Req() request: FastifyRequest) {
    return this.ogc.collection(id, requestUrl(request));
  }

  @Get('collections/:collectionId/items')
  @Public()
  @ApiProduces(GEOJSON_TYPE)
  @ApiOperation({ summary: 'Features of a collection (GeoJSON), filtered by bbox and datetime, paged by limit/offset with next/prev links' })
  async items(@Param('collectionId') id: string, @Query() q: OgcItemsQuery, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const page = await this.ogc.items(id, q, requestUrl(request));
    void reply.header('content-type', GEOJSON_TYPE);
    return page;
  }

  @Get('collections/:collectionId/items/:featureId')
  @Public()
  @ApiProduces(GEOJSON_TYPE)
  @ApiOperation({ summary: 'One feature (GeoJSON)' })
  async item(
    @Param('collectionId') id: string,
    @Param('featureId') featureId: string,
    @Query() _q: OgcItemQuery,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const feature = await this.ogc.item(id, featureId, requestUrl(request));
    void reply.header('content-type', GEOJSON_TYPE);
    return feature;
  }
}
