import { Controller, Get, Header, Inject, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { GEOJSON_CONTENT_TYPE } from '../../../../libs/core/src/index.js';
import { CitiesService } from '../../../../libs/cities/src/index.js';
import { Public } from '../auth/access.decorator.js';

export class DistrictsQuery {
  @ApiPropertyOptional({ description: 'only the districts of this city', format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'cityId must be a UUID' })
  cityId?: string;
}

@ApiTags('cities')
@Controller('api/v1')
export class CitiesController {
  constructor(@Inject(CitiesService) private readonly cities: CitiesService) {}

  @Get('cities')
  @Public()
  @Header('content-type', GEOJSON_CONTENT_TYPE)
  @Header('cache-control', 'public, max-age=300')
  @ApiOperation({ summary: 'Cities served, as a GeoJSON FeatureCollection of their boundaries (core polygon in properties)' })
  @ApiOkResponse({ description: 'GeoJSON FeatureCollection' })
  listCities() {
    return this.cities.listCities();
  }

  @Get('districts')
  @Public()
  @Header('content-type', GEOJSON_CONTENT_TYPE)
  @Header('cache-control', 'public, max-age=300')
  @ApiOperation({ summary: 'Districts (akimat service areas) as a GeoJSON FeatureCollection' })
  @ApiOkResponse({ description: 'GeoJSON FeatureCollection' })
  listDistricts(@Query() query: DistrictsQuery) {
    return this.cities.listDistricts(query.cityId);
  }
}
