import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString } from 'class-validator';
import { OGC_DEFAULT_LIMIT, OGC_MAX_LIMIT, OGC_MAX_OFFSET } from '../../../../libs/ogc/src/index.js';

/** `f` on the JSON documents: only JSON is served (no HTML). */
export class OgcDocumentQuery {
  @ApiPropertyOptional({ enum: ['json'], description: 'the response format; JSON is the only one (and the default)' })
  @IsOptional()
  @IsIn(['json'], { message: 'f must be json' })
  f?: string;
}

/** Values are parsed in libs/ogc (ogc-params.ts) so the items page and the export refuse the same things alike. */
export class OgcFilterQuery {
  @ApiPropertyOptional({ example: '76.85,43.2,77.0,43.3', description: 'minLon,minLat,maxLon,maxLat in CRS84 (WGS84 lon/lat)' })
  @IsOptional()
  @IsString({ message: 'bbox must be given once' })
  bbox?: string;

  @ApiPropertyOptional({
    example: '2026-01-01T00:00:00Z/..',
    description: 'RFC 3339 instant or interval (`a/b`, `../b`, `a/..`); a date means its whole UTC day. Filters reports on when they were received; collections without time ignore it',
  })
  @IsOptional()
  @IsString({ message: 'datetime must be given once' })
  datetime?: string;
}

export class OgcItemsQuery extends OgcFilterQuery {
  @ApiPropertyOptional({ enum: ['json', 'geojson'], description: 'the response format: GeoJSON (the default; `json` means the same)' })
  @IsOptional()
  @IsIn(['json', 'geojson'], { message: 'f must be json or geojson' })
  f?: string;

  // Described as an integer with its bounds: GDAL/QGIS read the page size limits from the API definition.
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: OGC_MAX_LIMIT, default: OGC_DEFAULT_LIMIT, description: `features per page, 1-${OGC_MAX_LIMIT} (default ${OGC_DEFAULT_LIMIT}); larger values are reduced to ${OGC_MAX_LIMIT}` })
  @IsOptional()
  @IsString({ message: 'limit must be given once' })
  limit?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: OGC_MAX_OFFSET, default: 0, description: 'features to skip (the `next`/`prev` links carry it)' })
  @IsOptional()
  @IsString({ message: 'offset must be given once' })
  offset?: string;
}

export class OgcItemQuery {
  @ApiPropertyOptional({ enum: ['json', 'geojson'] })
  @IsOptional()
  @IsIn(['json', 'geojson'], { message: 'f must be json or geojson' })
  f?: string;
}
