import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDateString,
  IsEmail,
  IsIn,
  IsInt,
  IsLatitude,
  IsLongitude,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { REPORT_STATUSES, STAFF_ACTIONS, type ReportStatus, type StaffAction } from '../../../../libs/reports/src/index.js';

export const SIZES = ['bag', 'wheelbarrow', 'car', 'truck'] as const;
export const WASTE_TYPES = ['plastic', 'glass', 'metal', 'paper', 'organic', 'electronic', 'hazardous'] as const;

const toNumber = ({ value }: { value: unknown }) => (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)) ? Number(value) : value);
const toList = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.split(',').map((v) => v.trim()).filter(Boolean) : Array.isArray(value) ? value.flatMap((v) => String(v).split(',')).map((v) => v.trim()).filter(Boolean) : value;

export class CreateReportDto {
  @ApiProperty({ example: 76.9286, description: 'WGS84 longitude' })
  @Transform(toNumber)
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'lon must be a number' })
  @IsLongitude({ message: 'lon must be a longitude between -180 and 180' })
  lon: number;

  @ApiProperty({ example: 43.2567, description: 'WGS84 latitude' })
  @Transform(toNumber)
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'lat must be a number' })
  @IsLatitude({ message: 'lat must be a latitude between -90 and 90' })
  lat: number;

  @ApiProperty({ example: 'household', description: 'a category code from GET /api/v1/categories' })
  @IsString()
  @MaxLength(40)
  category: string;

  @ApiProperty({ enum: SIZES })
  @IsIn(SIZES, { message: `size must be one of ${SIZES.join(', ')}` })
  size: (typeof SIZES)[number];

  @ApiPropertyOptional({ enum: WASTE_TYPES, isArray: true })
  @IsOptional()
  @Transform(toList)
  @IsArray()
  @ArrayMaxSize(WASTE_TYPES.length)
  @IsIn(WASTE_TYPES, { each: true, message: `each of wasteTypes must be one of ${WASTE_TYPES.join(', ')}` })
  wasteTypes?: string[];

  @ApiPropertyOptional({ maxLength: 4000 })
  @IsOptional()
  @IsString()
  @MaxLength(4000, { message: 'description must be at most 4,000 characters' })
  description?: string;

  @ApiPropertyOptional({ description: 'private: only the akimat sees it' })
  @IsOptional()
  @IsEmail({}, { message: 'contactEmail must be an email address' })
  @MaxLength(254)
  contactEmail?: string;

  @ApiPropertyOptional({ description: 'private: only the akimat sees it' })
  @IsOptional()
  @Matches(/^\+?[0-9 ()-]{7,20}$/, { message: 'contactPhone must be a phone number' })
  contactPhone?: string;
}

export class NearbyQuery {
  @ApiProperty()
  @Transform(toNumber)
  @IsNumber({}, { message: 'lon must be a number' })
  @IsLongitude({ message: 'lon must be a longitude between -180 and 180' })
  lon: number;

  @ApiProperty()
  @Transform(toNumber)
  @IsNumber({}, { message: 'lat must be a number' })
  @IsLatitude({ message: 'lat must be a latitude between -90 and 90' })
  lat: number;
}

export const MAX_PAGE = 500;

export class ListReportsQuery {
  @ApiPropertyOptional({ description: 'minLon,minLat,maxLon,maxLat' })
  @IsOptional()
  @Matches(/^-?\d+(\.\d+)?,-?\d+(\.\d+)?,-?\d+(\.\d+)?,-?\d+(\.\d+)?$/, { message: 'bbox must be minLon,minLat,maxLon,maxLat' })
  bbox?: string;

  @ApiPropertyOptional({ description: 'one or more statuses, comma-separated', enum: REPORT_STATUSES })
  @IsOptional()
  @Transform(toList)
  @IsIn(REPORT_STATUSES, { each: true, message: `each status must be one of ${REPORT_STATUSES.join(', ')}` })
  status?: ReportStatus[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(40)
  category?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'cityId must be a UUID' })
  cityId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'districtId must be a UUID' })
  districtId?: string;

  @ApiPropertyOptional({ description: 'ISO 8601: created at or after' })
  @IsOptional()
  @IsDateString({}, { message: 'from must be an ISO 8601 date' })
  from?: string;

  @ApiPropertyOptional({ description: 'ISO 8601: created before' })
  @IsOptional()
  @IsDateString({}, { message: 'to must be an ISO 8601 date' })
  to?: string;

  @ApiPropertyOptional({ default: 100, maximum: MAX_PAGE })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer' })
  @Min(1)
  @Max(MAX_PAGE, { message: `limit must not be greater than ${MAX_PAGE}` })
  limit = 100;

  @ApiPropertyOptional({ default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'offset must be an integer' })
  @Min(0)
  offset = 0;
}

export class ReportIdParam {
  @IsUUID('all', { message: 'id must be a UUID' })
  id: string;
}

export class TransitionDto {
  @ApiProperty({ enum: STAFF_ACTIONS })
  @IsIn(STAFF_ACTIONS, { message: `action must be one of ${STAFF_ACTIONS.join(', ')}` })
  action: StaffAction;

  @ApiPropertyOptional({ description: 'what was done (required to resolve)' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;

  @ApiPropertyOptional({ description: 'why (required to reject)' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  reason?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'the original (required to mark a duplicate)' })
  @IsOptional()
  @IsUUID('all', { message: 'duplicateOf must be a UUID' })
  duplicateOf?: string;
}

export class RatingDto {
  @ApiProperty({ minimum: 1, maximum: 5 })
  @Transform(toNumber)
  @IsInt({ message: 'rating must be a whole number from 1 to 5' })
  @Min(1, { message: 'rating must be a whole number from 1 to 5' })
  @Max(5, { message: 'rating must be a whole number from 1 to 5' })
  rating: number;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  comment?: string;
}

export class MediaIdParam {
  @IsUUID('all', { message: 'id must be a UUID' })
  id: string;
}
