import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsUUID, Matches, Max, Min } from 'class-validator';
import { HOTSPOT_STATUSES, type HotspotStatus } from '../../../../libs/hotspots/src/index.js';

const toBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class HotspotListQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'cityId must be a UUID' })
  cityId?: string;

  @ApiPropertyOptional({ example: '76.8,43.1,77.1,43.4', description: 'minLon,minLat,maxLon,maxLat' })
  @IsOptional()
  @Matches(/^-?\d+(\.\d+)?,-?\d+(\.\d+)?,-?\d+(\.\d+)?,-?\d+(\.\d+)?$/, { message: 'bbox must be minLon,minLat,maxLon,maxLat' })
  bbox?: string;

  @ApiPropertyOptional({ enum: HOTSPOT_STATUSES })
  @IsOptional()
  @IsIn(HOTSPOT_STATUSES, { message: `status must be one of ${HOTSPOT_STATUSES.join(', ')}` })
  status?: HotspotStatus;

  @ApiPropertyOptional({ default: false, description: 'only hotspots outside the city core' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'outskirts must be true or false' })
  outskirts = false;

  @ApiPropertyOptional({ default: 500, maximum: 2000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer' })
  @Min(1, { message: 'limit must be at least 1' })
  @Max(2000, { message: 'limit must not be greater than 2000' })
  limit = 500;
}

export class SuggestionsQuery {
  @ApiPropertyOptional({ format: 'uuid', description: "defaults to the caller's city" })
  @IsOptional()
  @IsUUID('all', { message: 'cityId must be a UUID' })
  cityId?: string;

  @ApiPropertyOptional({ default: 20, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer' })
  @Min(1, { message: 'limit must be at least 1' })
  @Max(100, { message: 'limit must not be greater than 100' })
  limit = 20;
}

export class HotspotIdParam {
  @IsUUID('all', { message: 'id must be a UUID' })
  id: string;
}
