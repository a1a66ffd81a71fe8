import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AppConfig } from '../../../../libs/core/src/index.js';
import { Public } from '../auth/access.decorator.js';

/** Settings the web app needs at start; nothing secret. */
@ApiTags('web')
@Controller('api/v1')
export class ClientConfigController {
  constructor(@Inject(AppConfig) private readonly config: AppConfig) {}

  @Get('client-config')
  @Public()
  @Header('cache-control', 'public, max-age=60')
  @ApiOperation({ summary: 'Web app settings: the base map style (MAP_STYLE_URL) and the address geocoder (GEOCODER_URL), null when not configured' })
  clientConfig() {
    return { mapStyleUrl: this.config.MAP_STYLE_URL ?? null, geocoderUrl: this.config.GEOCODER_URL ?? null };
  }
}
