import { Body, Controller, Get, Inject, Param, Patch, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsDateString, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import type { FastifyRequest } from 'fastify';
import type { UserPrincipal } from '../../../../libs/accounts/src/index.js';
import { CategoriesService, ReportStatsService } from '../../../../libs/reports/src/index.js';
import { CurrentPrincipal, Roles } from '../auth/access.decorator.js';

export class NamesDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(100) kk: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(100) ru: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(100) en: string;
}

export class PartialNamesDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(100) kk?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(100) ru?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(100) en?: string;
}

export class CreateCategoryDto {
  @ApiProperty({ example: 'medical' })
  @Matches(/^[a-z][a-z0-9_]{1,39}$/, { message: 'code must be 2-40 lowercase letters, digits or _' })
  code: string;

  @ApiProperty({ type: NamesDto })
  @ValidateNested()
  @Type(() => NamesDto)
  name: NamesDto;

  @ApiPropertyOptional() @IsOptional() @IsBoolean() hazardous = false;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() active = true;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(10000) sort = 100;
}

export class UpdateCategoryDto {
  @ApiPropertyOptional({ type: PartialNamesDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => PartialNamesDto)
  name?: PartialNamesDto;

  @ApiPropertyOptional() @IsOptional() @IsBoolean() hazardous?: boolean;
  @ApiPropertyOptional({ description: 'false retires the category: no new reports, old ones keep it' }) @IsOptional() @IsBoolean() active?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(10000) sort?: number;
}

export class CategoryCodeParam {
  @Matches(/^[a-z][a-z0-9_]{1,39}$/, { message: 'code must be a category code' })
  code: string;
}

export class StatsQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID('all', { message: 'cityId must be a UUID' }) cityId?: string;
  @ApiPropertyOptional() @IsOptional() @IsDateString({}, { message: 'from must be an ISO 8601 date' }) from?: string;
  @ApiPropertyOptional() @IsOptional() @IsDateString({}, { message: 'to must be an ISO 8601 date' }) to?: string;
}

@ApiTags('administration')
@ApiBearerAuth()
@Controller('api/v1')
export class AdminCategoriesController {
  constructor(
    @Inject(CategoriesService) private readonly categories: CategoriesService,
    @Inject(ReportStatsService) private readonly stats: ReportStatsService,
  ) {}

  @Post('admin/categories')
  @Roles('admin')
  @ApiOperation({ summary: 'Add a dump category (also a new Open311 service)' })
  create(@Body() body: CreateCategoryDto, @CurrentPrincipal() actor: UserPrincipal, @Req() request: FastifyRequest) {
    return this.categories.create(actor, { code: body.code, name: body.name, hazardous: body.hazardous, active: body.active, sort: body.sort }, String(request.id));
  }

  @Patch('admin/categories/:code')
  @Roles('admin')
  @ApiOperation({ summary: 'Rename, re-order, mark hazardous or retire a category' })
  update(@Param() p: CategoryCodeParam, @Body() body: UpdateCategoryDto, @CurrentPrincipal() actor: UserPrincipal, @Req() request: FastifyRequest) {
    return this.categories.update(actor, p.code, body, String(request.id));
  }

  @Get('stats/districts')
  @Roles('dispatcher', 'akim', 'admin')
  @ApiOperation({ summary: 'Per district: reports, open, median hours to register and to resolve, share reopened, average rating' })
  districts(@Query() q: StatsQuery, @CurrentPrincipal() principal: UserPrincipal) {
    return this.stats.byDistrict(principal, { cityId: q.cityId, from: q.from ? new Date(q.from) : undefined, to: q.to ? new Date(q.to) : undefined });
  }
}
