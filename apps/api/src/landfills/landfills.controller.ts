import { Body, Controller, Delete, Get, Headers, HttpCode, Inject, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { UserPrincipal } from '../../../../libs/accounts/src/index.js';
import type { Geometry } from '../../../../libs/core/src/index.js';
import { LandfillsErrors, LandfillsService } from '../../../../libs/landfills/src/index.js';
import { CurrentPrincipal, Public, Roles } from '../auth/access.decorator.js';
import { validateDto } from '../common/dto-validation.js';
import { isMultipart, readMultipart } from '../common/multipart.js';
import { AcknowledgeDto, AlertListQuery, CityQuery, DiversionDto, DiversionQuery, IdParam, IntakeDto, LandfillDto, SeriesQuery, SurveyDto, WeighbridgeDto, WeighbridgeTicketDto } from './landfills.dto.js';

const CSV_MAX_BYTES = 5 * 1024 * 1024;

async function csvUpload(request: FastifyRequest): Promise<Buffer> {
  if (!isMultipart(request)) throw LandfillsErrors.field('file', 'send the CSV as multipart/form-data in the field "file"');
  const form = await readMultipart(request, { maxFiles: 1, maxFileBytes: CSV_MAX_BYTES, fileFields: ['file'] });
  const file = form.files.find((f) => f.field === 'file[0]');
  if (!file) throw LandfillsErrors.field('file', 'send the CSV as multipart/form-data in the field "file"');
  return file.bytes;
}

const landfillInput = (b: LandfillDto) => ({
  name: b.name.trim(),
  status: b.status,
  geometry: b.geometry as unknown as Geometry,
  capacityM3: b.capacityM3,
  density: b.densityTPerM3,
  openedOn: b.openedOn ?? null,
  operator: b.operator?.trim() || null,
  cityIds: [...new Set(b.cityIds)],
});

/**
 * Landfills for akims and dispatchers of the cities that use them: fill levels, series with the
 * forecast, measurements (single, CSV, weighbridge), diversion and capacity alerts. docs/landfills.md.
 */
@ApiTags('landfills')
@ApiBearerAuth()
@Controller('api/v1')
export class LandfillsController {
  constructor(@Inject(LandfillsService) private readonly landfills: LandfillsService) {}

  @Get('landfills')
  @Roles('dispatcher', 'akim', 'admin')
  @ApiOperation({ summary: 'Landfills of your cities as GeoJSON: fill level today, the stored forecast, live alerts' })
  list(@CurrentPrincipal() p: UserPrincipal, @Query() q: CityQuery) {
    return this.landfills.list(p, q.cityId);
  }

  @Get('landfills/:id/series')
  @Roles('dispatcher', 'akim', 'admin')
  @ApiOperation({ summary: 'Per day: intake, diversion, used volume and fill level; the forecast (80/90/95/100 % dates with a range); ?divertPercent=N re-runs it' })
  series(@CurrentPrincipal() p: UserPrincipal, @Param() params: IdParam, @Query() q: SeriesQuery) {
    return this.landfills.series(p, params.id, q);
  }

  @Post('landfills/:id/intake')
  @Roles('dispatcher', 'admin')
  @ApiOperation({ summary: 'Record a weighbridge ticket (date, tonnes, plate, source city, ticket number)' })
  intake(@CurrentPrincipal() p: UserPrincipal, @Param() params: IdParam, @Body() body: IntakeDto) {
    return this.landfills.addIntake(p, params.id, body);
  }

  @Post('landfills/:id/surveys')
  @Roles('dispatcher', 'admin')
  @ApiOperation({ summary: 'Record a volume survey (date, used m³, method drone/topographic/estimate)' })
  survey(@CurrentPrincipal() p: UserPrincipal, @Param() params: IdParam, @Body() body: SurveyDto) {
    return this.landfills.addSurvey(p, params.id, body);
  }

  @Post('landfills/:id/intake/import')
  @Roles('dispatcher', 'admin')
  @ApiConsumes('multipart/form-data')
  @ApiOperation({ summary: 'Import intake tickets from a CSV `file` (date,tonnes[,plate,source_city,ticket]): all rows or none' })
  async importIntake(@CurrentPrincipal() p: UserPrincipal, @Param() params: IdParam, @Req() request: FastifyRequest) {
    return this.landfills.importIntake(p, params.id, await csvUpload(request));
  }

  @Post('landfills/:id/surveys/import')
  @Roles('dispatcher', 'admin')
  @ApiConsumes('multipart/form-data')
  @ApiOperation({ summary: 'Import surveys from a CSV `file` (date,used_m3,method[,note]): all rows or none' })
  async importSurveys(@CurrentPrincipal() p: UserPrincipal, @Param() params: IdParam, @Req() request: FastifyRequest) {
    return this.landfills.importSurveys(p, params.id, await csvUpload(request));
  }

  @Post('weighbridge/tickets')
  @Public()
  @ApiHeader({ name: 'X-Api-Key', description: 'the weighbridge key an admin issued', required: true })
  @ApiBody({ type: WeighbridgeTicketDto })
  @ApiOperation({ summary: 'A weighbridge system posts a ticket: 201 stored, 200 when this ticket number is known already' })
  async ticket(@Headers('x-api-key') apiKey: string | undefined, @Body() raw: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    // The key first: a caller without one learns nothing about what a valid body looks like.
    const bridge = await this.landfills.authenticateWeighbridge(apiKey);
    const result = await this.landfills.weighbridgeTicket(bridge, await validateDto(WeighbridgeTicketDto, raw));
    void reply.status(result.created ? 201 : 200);
    return result;
  }

  @Get('landfill-alerts')
  @Roles('dispatcher', 'akim', 'admin')
  @ApiOperation({ summary: 'Capacity alerts of your cities\' landfills, unacknowledged first' })
  alerts(@CurrentPrincipal() p: UserPrincipal, @Query() q: AlertListQuery) {
    return this.landfills.listAlerts(p, q);
  }

  @Post('landfill-alerts/:id/acknowledge')
  @Roles('akim')
  @HttpCode(200)
  @ApiOperation({ summary: 'An akim of a city using the landfill acknowledges the alert with a note (weekly reminders stop)' })
  acknowledge(@CurrentPrincipal() p: UserPrincipal, @Param() params: IdParam, @Body() body: AcknowledgeDto) {
    return this.landfills.acknowledge(p, params.id, body.note);
  }

  @Get('diversion')
  @Roles('dispatcher', 'akim', 'admin')
  @ApiOperation({ summary: 'Recycled tonnage reported by your city (eco-actions, collection points)' })
  diversion(@CurrentPrincipal() p: UserPrincipal, @Query() q: DiversionQuery) {
    return this.landfills.listDiversion(p, q);
  }

  @Post('diversion')
  @Roles('dispatcher', 'admin')
  @ApiOperation({ summary: 'Report recycled tonnage for a day (shown beside landfill intake)' })
  addDiversion(@CurrentPrincipal() p: UserPrincipal, @Body() body: DiversionDto) {
    return this.landfills.addDiversion(p, body);
  }

  @Post('admin/landfills')
  @Roles('admin')
  @ApiOperation({ summary: 'Add a landfill (polygon, status, capacity, density, opening date, operator, cities using it)' })
  create(@CurrentPrincipal() p: UserPrincipal, @Body() body: LandfillDto) {
    return this.landfills.createLandfill(p, landfillInput(body));
  }

  @Put('admin/landfills/:id')
  @Roles('admin')
  @ApiOperation({ summary: 'Change a landfill (all fields)' })
  update(@CurrentPrincipal() p: UserPrincipal, @Param() params: IdParam, @Body() body: LandfillDto) {
    return this.landfills.updateLandfill(p, params.id, landfillInput(body));
  }

  @Post('admin/weighbridges')
  @Roles('admin')
  @ApiOperation({ summary: 'Issue a weighbridge key for a landfill: {id, apiKey}; the key is shown this once' })
  issue(@CurrentPrincipal() p: UserPrincipal, @Body() body: WeighbridgeDto, @Res({ passthrough: true }) reply: FastifyReply) {
    void reply.header('cache-control', 'no-store');
    return this.landfills.issueWeighbridge(p, body.landfillId, body.name);
  }

  @Get('admin/weighbridges')
  @Roles('admin')
  @ApiOperation({ summary: 'Weighbridges with last use (never their keys)' })
  weighbridges() {
    return this.landfills.listWeighbridges();
  }

  @Delete('admin/weighbridges/:id')
  @Roles('admin')
  @ApiOperation({ summary: 'Revoke a weighbridge key' })
  revoke(@CurrentPrincipal() p: UserPrincipal, @Param() params: IdParam) {
    return this.landfills.revokeWeighbridge(p, params.id);
  }
}
