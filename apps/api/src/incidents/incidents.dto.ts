import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNumber, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';

const CAMERA_STATUSES = ['active', 'offline', 'retired'] as const;
const INCIDENT_STATUSES = ['pending', 'confirmed', 'dismissed'] as const;
const finite = (field: string) => ({ message: `${field} must be a number` });

export class CreateCameraDto {
  @ApiProperty({ example: 'Almaty outskirts camera 3' })
  @IsString()
  @Matches(/\S/, { message: 'name must not be blank' })
  @MaxLength(200)
  name: string;

  @ApiProperty({ example: 76.87, description: 'WGS84 longitude of the camera; its district decides its city' })
  @IsNumber({ allowNaN: false, allowInfinity: false }, finite('lon'))
  @Min(-180, { message: 'lon must be a longitude between -180 and 180' })
  @Max(180, { message: 'lon must be a longitude between -180 and 180' })
  lon: number;

  @ApiProperty({ example: 43.21 })
  @IsNumber({ allowNaN: false, allowInfinity: false }, finite('lat'))
  @Min(-90, { message: 'lat must be a latitude between -90 and 90' })
  @Max(90, { message: 'lat must be a latitude between -90 and 90' })
  lat: number;

  @ApiProperty({ example: 225, description: 'where the camera looks, degrees clockwise from north, 0 to <360' })
  @IsNumber({ allowNaN: false, allowInfinity: false }, finite('bearingDeg'))
  @Min(0, { message: 'bearingDeg must be from 0 to below 360' })
  @Max(359.999, { message: 'bearingDeg must be from 0 to below 360' })
  bearingDeg: number;

  @ApiProperty({ example: 90, description: 'field of view, degrees (360 for a dome camera)' })
  @IsNumber({ allowNaN: false, allowInfinity: false }, finite('fovDeg'))
  @Min(1, { message: 'fovDeg must be from 1 to 360' })
  @Max(360, { message: 'fovDeg must be from 1 to 360' })
  fovDeg: number;

  @ApiProperty({ example: 300, description: 'how far the analytics see, metres' })
  @IsNumber({ allowNaN: false, allowInfinity: false }, finite('rangeM'))
  @Min(1, { message: 'rangeM must be from 1 to 2000' })
  @Max(2000, { message: 'rangeM must be from 1 to 2000' })
  rangeM: number;

  @ApiPropertyOptional({ example: 300, description: 'expected seconds between heartbeats; silent longer = offline' })
  @IsOptional()
  @IsInt({ message: 'heartbeatIntervalS must be an integer' })
  @Min(10, { message: 'heartbeatIntervalS must be from 10 to 86400' })
  @Max(86400, { message: 'heartbeatIntervalS must be from 10 to 86400' })
  heartbeatIntervalS?: number;

  @ApiPropertyOptional({ example: 0.85, description: 'incidents at or above this confidence are confirmed without review' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 2 }, { message: 'autoConfirmConfidence must be a number with at most 2 decimals' })
  @Min(0, { message: 'autoConfirmConfidence must be from 0 to 1' })
  @Max(1, { message: 'autoConfirmConfidence must be from 0 to 1' })
  autoConfirmConfidence?: number;
}

/** Any field of a camera; a status of its own (retire it, or put an offline one back). */
export class UpdateCameraDto extends PartialType(CreateCameraDto) {
  @ApiPropertyOptional({ enum: CAMERA_STATUSES, description: 'retired cameras are refused; a heartbeat brings an offline one back' })
  @IsOptional()
  @IsIn(CAMERA_STATUSES, { message: `status must be one of ${CAMERA_STATUSES.join(', ')}` })
  status?: (typeof CAMERA_STATUSES)[number];
}

export class CreateCameraKeyDto {
  @ApiPropertyOptional({ description: 'your own key id (4-64 of A-Z a-z 0-9 _ -); generated when left out' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{4,64}$/, { message: 'keyId must be 4-64 characters of A-Z, a-z, 0-9, _ and -' })
  keyId?: string;
}

export class CameraIdParam {
  @IsUUID('all', { message: 'id must be a UUID' })
  id: string;
}

export class CameraKeyParam {
  @IsUUID('all', { message: 'id must be a UUID' })
  id: string;

  @Matches(/^[A-Za-z0-9_-]{4,64}$/, { message: 'keyId must be 4-64 characters of A-Z, a-z, 0-9, _ and -' })
  keyId: string;
}

export class CameraListQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID('all', { message: 'cityId must be a UUID' })
  cityId?: string;

  @ApiPropertyOptional({ enum: CAMERA_STATUSES })
  @IsOptional()
  @IsIn(CAMERA_STATUSES, { message: `status must be one of ${CAMERA_STATUSES.join(', ')}` })
  status?: (typeof CAMERA_STATUSES)[number];
}

export class IncidentListQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID('all', { message: 'cityId must be a UUID' })
  cityId?: string;

  @ApiPropertyOptional({ enum: INCIDENT_STATUSES, description: 'pending = the review queue' })
  @IsOptional()
  @IsIn(INCIDENT_STATUSES, { message: `status must be one of ${INCIDENT_STATUSES.join(', ')}` })
  status?: (typeof INCIDENT_STATUSES)[number];

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID('all', { message: 'cameraId must be a UUID' })
  cameraId?: string;

  @ApiPropertyOptional({ default: 50, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer' })
  @Min(1)
  @Max(500, { message: 'limit must not be greater than 500' })
  limit = 50;

  @ApiPropertyOptional({ default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'offset must be an integer' })
  @Min(0)
  offset = 0;
}

export class IncidentIdParam {
  @IsUUID('all', { message: 'id must be a UUID' })
  id: string;
}

export class IncidentMediaParam {
  @IsUUID('all', { message: 'id must be a UUID' })
  id: string;

  @IsIn(['snapshot', 'clip'], { message: 'media must be snapshot or clip' })
  media: 'snapshot' | 'clip';
}

export class DismissDto {
  @ApiProperty({ example: 'a parked truck, nothing unloaded' })
  @IsString()
  @Matches(/\S/, { message: 'reason must not be blank' })
  @MaxLength(500)
  reason: string;
}
