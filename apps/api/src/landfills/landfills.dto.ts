import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsNumber, IsObject, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { SURVEY_METHODS, type LandfillStatus } from '../../../../libs/landfills/src/index.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const toNumber = ({ value }: { value: unknown }) => (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)) ? Number(value) : value);
const NUMBER = { allowNaN: false, allowInfinity: false } as const;

export class IdParam {
  @IsUUID('all', { message: 'id must be a UUID' })
  id: string;
}

class TicketFields {
  @ApiProperty({ example: '2026-11-30', description: 'the day the waste arrived (not in the future)' })
  @IsString({ message: 'date must be a date YYYY-MM-DD' })
  @Matches(DATE, { message: 'date must be a date YYYY-MM-DD' })
  date: string;

  @ApiProperty({ example: 12.4, description: 'tonnes on the weighbridge ticket (0-10,000)' })
  @IsNumber(NUMBER, { message: 'tonnes must be a number' })
  tonnes: number;

  @ApiPropertyOptional({ example: '123ABC02' })
  @IsOptional()
  @IsString()
  @MaxLength(20, { message: 'plate must be at most 20 characters' })
  plate?: string;

  @ApiPropertyOptional({ description: 'slug or id of the city the truck came from (one of the landfill\'s cities)' })
  @IsOptional()
  @IsString()
  @MaxLength(60)
  sourceCity?: string;

}

export class IntakeDto extends TicketFields {
  @ApiPropertyOptional({ description: 'the weighbridge ticket number: a repeat is refused' })
  @IsOptional()
  @IsString()
  @MaxLength(100, { message: 'ticketId must be at most 100 characters' })
  ticketId?: string;
}

export class WeighbridgeTicketDto extends TicketFields {
  @ApiProperty({ description: 'the ticket number in the weighbridge system: posting it again stores nothing new' })
  @IsString({ message: 'ticketId is required' })
  @Matches(/\S/, { message: 'ticketId must not be blank' })
  @MaxLength(100, { message: 'ticketId must be at most 100 characters' })
  ticketId: string;
}

export class SurveyDto {
  @ApiProperty({ example: '2026-11-15' })
  @IsString({ message: 'date must be a date YYYY-MM-DD' })
  @Matches(DATE, { message: 'date must be a date YYYY-MM-DD' })
  date: string;

  @ApiProperty({ example: 2150000, description: 'used volume, m³ (not above the capacity)' })
  @IsNumber(NUMBER, { message: 'usedM3 must be a number' })
  usedM3: number;

  @ApiProperty({ enum: SURVEY_METHODS })
  @IsIn(SURVEY_METHODS, { message: `method must be one of ${SURVEY_METHODS.join(', ')}` })
  method: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000, { message: 'note must be at most 2,000 characters' })
  note?: string;
}

export class SeriesQuery {
  @ApiPropertyOptional({ example: '2025-12-01', description: 'first day (default: a year before `to`)' })
  @IsOptional()
  @Matches(DATE, { message: 'from must be a date YYYY-MM-DD' })
  from?: string;

  @ApiPropertyOptional({ example: '2026-11-30', description: 'last day (default: today)' })
  @IsOptional()
  @Matches(DATE, { message: 'to must be a date YYYY-MM-DD' })
  to?: string;

  @ApiPropertyOptional({ example: 20, description: '"what if N% more is diverted": the forecast with future intake cut by N %' })
  @IsOptional()
  @Transform(toNumber)
  @IsNumber(NUMBER, { message: 'divertPercent must be a number' })
  @Min(0, { message: 'divertPercent must be between 0 and 100' })
  @Max(100, { message: 'divertPercent must be between 0 and 100' })
  divertPercent?: number;
}

export class CityQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'only this city (within what you may read)' })
  @IsOptional()
  @IsUUID('all', { message: 'cityId must be a UUID' })
  cityId?: string;
}

export class AlertListQuery extends CityQuery {
  @ApiPropertyOptional({ enum: ['open', 'acknowledged', 'all'], default: 'all' })
  @IsOptional()
  @IsIn(['open', 'acknowledged', 'all'], { message: 'state must be one of open, acknowledged, all' })
  state?: 'open' | 'acknowledged' | 'all';

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'landfillId must be a UUID' })
  landfillId?: string;

  @ApiPropertyOptional({ default: 100, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer' })
  @Min(1, { message: 'limit must be at least 1' })
  @Max(500, { message: 'limit must not be greater than 500' })
  limit?: number;
}

export class AcknowledgeDto {
  @ApiProperty({ example: 'Working group on the new cell meets on Monday.' })
  @IsString({ message: 'note is required' })
  @MaxLength(2000, { message: 'note must be at most 2,000 characters' })
  note: string;
}

export class DiversionDto {
  @ApiPropertyOptional({ format: 'uuid', description: "defaults to the dispatcher's city; an admin names it" })
  @IsOptional()
  @IsUUID('all', { message: 'cityId must be a UUID' })
  cityId?: string;

  @ApiProperty({ example: '2026-11-20' })
  @IsString({ message: 'date must be a date YYYY-MM-DD' })
  @Matches(DATE, { message: 'date must be a date YYYY-MM-DD' })
  date: string;

  @ApiProperty({ example: 14.2, description: 'tonnes recycled (0-10,000)' })
  @IsNumber(NUMBER, { message: 'tonnes must be a number' })
  @Min(0.001, { message: 'tonnes must be more than 0' })
  @Max(10000, { message: 'tonnes must be at most 10,000' })
  tonnes: number;

  @ApiProperty({ example: 'eco-action' })
  @IsString({ message: 'source is required' })
  @Matches(/\S/, { message: 'source must not be blank' })
  @MaxLength(100, { message: 'source must be at most 100 characters' })
  source: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000, { message: 'note must be at most 2,000 characters' })
  note?: string;
}

export class DiversionQuery extends CityQuery {
  @ApiPropertyOptional({ example: '2026-01-01' })
  @IsOptional()
  @Matches(DATE, { message: 'from must be a date YYYY-MM-DD' })
  from?: string;

  @ApiPropertyOptional({ example: '2026-11-30' })
  @IsOptional()
  @Matches(DATE, { message: 'to must be a date YYYY-MM-DD' })
  to?: string;
}

export class LandfillDto {
  @ApiProperty({ example: 'Kostanay municipal landfill' })
  @IsString({ message: 'name is required' })
  @Matches(/\S/, { message: 'name must not be blank' })
  @MaxLength(200, { message: 'name must be at most 200 characters' })
  name: string;

  @ApiPropertyOptional({ enum: ['operating', 'closing', 'closed'], default: 'operating' })
  @IsOptional()
  @IsIn(['operating', 'closing', 'closed'], { message: 'status must be one of operating, closing, closed' })
  status: LandfillStatus = 'operating';

  @ApiProperty({ description: 'GeoJSON Polygon or MultiPolygon, WGS84' })
  @IsObject({ message: 'geometry must be a GeoJSON Polygon or MultiPolygon' })
  geometry: Record<string, unknown>;

  @ApiProperty({ example: 2400000, description: 'design capacity, m³' })
  @IsNumber(NUMBER, { message: 'capacityM3 must be a number' })
  @Min(1, { message: 'capacityM3 must be at least 1' })
  @Max(1e11, { message: 'capacityM3 must be at most 100,000,000,000' })
  capacityM3: number;

  @ApiPropertyOptional({ example: 0.8, description: 'compaction density, t/m³' })
  @IsOptional()
  @IsNumber(NUMBER, { message: 'densityTPerM3 must be a number' })
  @Min(0.1, { message: 'densityTPerM3 must be between 0.1 and 3' })
  @Max(3, { message: 'densityTPerM3 must be between 0.1 and 3' })
  densityTPerM3 = 0.8;

  @ApiPropertyOptional({ example: '1998-06-01' })
  @IsOptional()
  @Matches(DATE, { message: 'openedOn must be a date YYYY-MM-DD' })
  openedOn?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200, { message: 'operator must be at most 200 characters' })
  operator?: string;

  @ApiProperty({ type: [String], description: 'the cities that use it' })
  @IsArray({ message: 'cityIds must be a list of city ids' })
  @ArrayMinSize(1, { message: 'cityIds must name at least one city' })
  @ArrayMaxSize(20, { message: 'cityIds must name at most 20 cities' })
  @IsUUID('all', { each: true, message: 'each of cityIds must be a UUID' })
  cityIds: string[];
}

export class WeighbridgeDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'landfillId must be a UUID' })
  landfillId: string;

  @ApiProperty({ example: 'North gate scale' })
  @IsString({ message: 'name is required' })
  @Matches(/\S/, { message: 'name must not be blank' })
  @MaxLength(100, { message: 'name must be at most 100 characters' })
  name: string;
}
