import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsNumber, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, ValidateIf, ValidateNested } from 'class-validator';
import { WORK_ORDER_STATUSES, type WorkOrderStatus } from '../../../../libs/dispatch/src/index.js';

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const toNumber = ({ value }: { value: unknown }) => (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)) ? Number(value) : value);
const toBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class PointDto {
  @ApiProperty({ example: 76.945 })
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'lon must be a number' })
  @Min(-180, { message: 'lon must be a longitude between -180 and 180' })
  @Max(180, { message: 'lon must be a longitude between -180 and 180' })
  lon: number;

  @ApiProperty({ example: 43.238 })
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'lat must be a number' })
  @Min(-90, { message: 'lat must be a latitude between -90 and 90' })
  @Max(90, { message: 'lat must be a latitude between -90 and 90' })
  lat: number;
}

export class CrewDto {
  @ApiProperty({ example: 'Crew 3' })
  @IsString()
  @Matches(/\S/, { message: 'name must not be blank' })
  @MaxLength(100)
  name: string;

  @ApiProperty({ example: 8, description: 'vehicle capacity, m³' })
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'capacityM3 must be a number' })
  @Min(0.1, { message: 'capacityM3 must be at least 0.1' })
  @Max(100, { message: 'capacityM3 must be at most 100' })
  capacityM3: number;

  @ApiProperty({ type: PointDto, description: 'where the crew starts and ends its day' })
  @ValidateNested()
  @Type(() => PointDto)
  depot: PointDto;

  @ApiPropertyOptional({ example: '08:00' })
  @IsOptional()
  @Matches(TIME, { message: 'shiftStart must be HH:MM' })
  shiftStart = '08:00';

  @ApiPropertyOptional({ example: '18:00' })
  @IsOptional()
  @Matches(TIME, { message: 'shiftEnd must be HH:MM' })
  shiftEnd = '18:00';

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean({ message: 'active must be true or false' })
  active = true;
}

export class CrewListQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'cityId must be a UUID' })
  cityId?: string;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'active must be true or false' })
  active = false;
}

export class CityQuery {
  @ApiPropertyOptional({ format: 'uuid', description: "defaults to the caller's city" })
  @IsOptional()
  @IsUUID('all', { message: 'cityId must be a UUID' })
  cityId?: string;
}

export class IdParam {
  @IsUUID('all', { message: 'id must be a UUID' })
  id: string;
}

export class MemberParam {
  @IsUUID('all', { message: 'id must be a UUID' })
  id: string;

  @IsUUID('all', { message: 'userId must be a UUID' })
  userId: string;
}

export class CreateWorkOrderDto {
  @ApiPropertyOptional({ type: [String], description: 'the reports to clean up (open, in your city); optional with hotspotId' })
  @ValidateIf((o: CreateWorkOrderDto) => o.hotspotId === undefined || o.reportIds !== undefined)
  @IsArray({ message: 'reportIds must be a list of report ids' })
  @ArrayMinSize(1, { message: 'reportIds must hold at least one report' })
  @ArrayMaxSize(200, { message: 'reportIds must hold at most 200 reports' })
  @IsUUID('all', { each: true, message: 'each of reportIds must be a UUID' })
  reportIds?: string[];

  @ApiPropertyOptional({ format: 'uuid', description: 'a hotspot of your city: the order takes all its open reports' })
  @IsOptional()
  @IsUUID('all', { message: 'hotspotId must be a UUID' })
  hotspotId?: string;

  @ApiPropertyOptional({ example: '2026-12-01' })
  @IsOptional()
  @Matches(DATE, { message: 'scheduledFor must be a date YYYY-MM-DD' })
  scheduledFor?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'crewId must be a UUID' })
  crewId?: string;

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200, { message: 'title must be at most 200 characters' })
  title?: string;
}

export class AssignDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'crewId must be a UUID' })
  crewId: string;

  @ApiPropertyOptional({ example: '2026-12-01' })
  @IsOptional()
  @Matches(DATE, { message: 'scheduledFor must be a date YYYY-MM-DD' })
  scheduledFor?: string;
}

export class CancelDto {
  @ApiProperty()
  @IsString({ message: 'reason is required' })
  @MaxLength(2000)
  reason: string;
}

export class CompleteFields {
  @ApiPropertyOptional({ description: 'what was done' })
  @IsOptional()
  @IsString()
  @MaxLength(2000, { message: 'note must be at most 2,000 characters' })
  note?: string;

  @ApiProperty({ example: 3.5, description: 'estimated volume removed, m³' })
  @Transform(toNumber)
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'removedVolumeM3 must be a number' })
  @Min(0, { message: 'removedVolumeM3 must not be negative' })
  @Max(1000, { message: 'removedVolumeM3 must be at most 1,000' })
  removedVolumeM3: number;
}

export class WorkOrderListQuery extends CityQuery {
  @ApiPropertyOptional({ example: '2026-12-01' })
  @IsOptional()
  @Matches(DATE, { message: 'date must be a date YYYY-MM-DD' })
  date?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'crewId must be a UUID' })
  crewId?: string;

  @ApiPropertyOptional({ enum: WORK_ORDER_STATUSES })
  @IsOptional()
  @IsIn(WORK_ORDER_STATUSES, { message: `status must be one of ${WORK_ORDER_STATUSES.join(', ')}` })
  status?: WorkOrderStatus;

  @ApiPropertyOptional({ default: 100, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer' })
  @Min(1)
  @Max(500, { message: 'limit must not be greater than 500' })
  limit = 100;
}

export class CrewDayQuery {
  @ApiPropertyOptional({ format: 'uuid', description: "a dispatcher's choice; a crew account sees its own crew" })
  @IsOptional()
  @IsUUID('all', { message: 'crewId must be a UUID' })
  crewId?: string;

  @ApiPropertyOptional({ example: '2026-12-01', description: "defaults to today in the city's time zone" })
  @IsOptional()
  @Matches(DATE, { message: 'date must be a date YYYY-MM-DD' })
  date?: string;
}
