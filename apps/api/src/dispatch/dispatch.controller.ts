import { Body, Controller, Get, HttpCode, Inject, Param, Post, Put, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { UserPrincipal } from '../../../../libs/accounts/src/index.js';
import { DispatchService } from '../../../../libs/dispatch/src/index.js';
import { PHOTO_MAX_BYTES } from '../../../../libs/media/src/index.js';
import { MAX_PHOTOS } from '../../../../libs/reports/src/index.js';
import { CurrentPrincipal, Roles } from '../auth/access.decorator.js';
import { validateDto } from '../common/dto-validation.js';
import { isMultipart, readMultipart } from '../common/multipart.js';
import { AssignDto, CancelDto, CityQuery, CompleteFields, CreateWorkOrderDto, CrewDayQuery, CrewDto, CrewListQuery, IdParam, MemberParam, WorkOrderListQuery } from './dispatch.dto.js';

/** Crews, work orders, crew routes and the dispatcher's queue; everything scoped to the caller's city. */
@ApiTags('dispatch')
@ApiBearerAuth()
@Controller('api/v1')
export class DispatchController {
  constructor(@Inject(DispatchService) private readonly dispatch: DispatchService) {}

  @Get('crews')
  @Roles('dispatcher', 'akim', 'admin')
  @ApiOperation({ summary: 'Crews of the city (vehicle capacity, depot, shift, members)' })
  crews(@CurrentPrincipal() p: UserPrincipal, @Query() q: CrewListQuery) {
    return this.dispatch.listCrews(p, q.cityId, q.active);
  }

  @Post('crews')
  @Roles('dispatcher', 'admin')
  @ApiOperation({ summary: 'Add a crew (a dispatcher for their city; an admin names cityId)' })
  createCrew(@CurrentPrincipal() p: UserPrincipal, @Query() q: CityQuery, @Body() body: CrewDto) {
    return this.dispatch.createCrew(p, q.cityId, body);
  }

  @Put('crews/:id')
  @Roles('dispatcher', 'admin')
  @ApiOperation({ summary: 'Change a crew (name, capacity, depot, shift, active)' })
  updateCrew(@CurrentPrincipal() p: UserPrincipal, @Param() params: IdParam, @Body() body: CrewDto) {
    return this.dispatch.updateCrew(p, params.id, body);
  }

  @Put('crews/:id/members/:userId')
  @Roles('dispatcher', 'admin')
  @ApiOperation({ summary: "Link a crew account (role crew, same city) to the crew so its phone sees the crew's day" })
  addMember(@CurrentPrincipal() p: UserPrincipal, @Param() params: MemberParam) {
    return this.dispatch.addMember(p, params.id, params.userId);
  }

  @Get('crews/day')
  @Roles('dispatcher', 'akim', 'admin', 'crew')
  @ApiOperation({ summary: "A crew's day in route order from the depot (unloading when full), with total distance and geo: links" })
  crewDay(@CurrentPrincipal() p: UserPrincipal, @Query() q: CrewDayQuery) {
    return this.dispatch.crewDay(p, q.crewId, q.date);
  }

  @Get('work-orders')
  @Roles('dispatcher', 'akim', 'admin', 'crew')
  @ApiOperation({ summary: 'Work orders by day, crew and status, highest priority first' })
  list(@CurrentPrincipal() p: UserPrincipal, @Query() q: WorkOrderListQuery) {
    return this.dispatch.list(p, q);
  }

  @Post('work-orders')
  @Roles('dispatcher')
  @ApiOperation({ summary: 'Create a work order from chosen open reports of your city, or from a hotspot (all its open reports)' })
  create(@CurrentPrincipal() p: UserPrincipal, @Body() body: CreateWorkOrderDto) {
    return this.dispatch.createWorkOrder(p, body);
  }

  @Get('work-orders/:id')
  @Roles('dispatcher', 'akim', 'admin', 'crew')
  @ApiOperation({ summary: 'One work order with its reports, history and the actions allowed now' })
  get(@CurrentPrincipal() p: UserPrincipal, @Param() params: IdParam) {
    return this.dispatch.get(p, params.id);
  }

  @Post('work-orders/:id/assign')
  @Roles('dispatcher')
  @HttpCode(200)
  @ApiOperation({ summary: 'Assign a crew (and optionally a day) to a planned work order' })
  assign(@CurrentPrincipal() p: UserPrincipal, @Param() params: IdParam, @Body() body: AssignDto) {
    return this.dispatch.assign(p, params.id, body.crewId, body.scheduledFor);
  }

  @Post('work-orders/:id/start')
  @Roles('dispatcher', 'crew')
  @HttpCode(200)
  @ApiOperation({ summary: 'Start: the reports go to in progress' })
  start(@CurrentPrincipal() p: UserPrincipal, @Param() params: IdParam) {
    return this.dispatch.start(p, params.id);
  }

  @Post('work-orders/:id/complete')
  @Roles('dispatcher', 'crew')
  @HttpCode(200)
  @ApiConsumes('multipart/form-data')
  @ApiOperation({ summary: 'Complete with "after" photos (multipart `photos`), `removedVolumeM3` and a `note`: the reports become resolved' })
  async complete(@CurrentPrincipal() p: UserPrincipal, @Param() params: IdParam, @Req() request: FastifyRequest) {
    const form = isMultipart(request) ? await readMultipart(request, { maxFiles: MAX_PHOTOS, maxFileBytes: PHOTO_MAX_BYTES, fileFields: ['photos'] }) : { fields: {}, files: [] };
    const fields = await validateDto(CompleteFields, isMultipart(request) ? form.fields : request.body);
    return this.dispatch.complete(p, params.id, { note: fields.note, removedVolumeM3: fields.removedVolumeM3, photos: form.files });
  }

  @Post('work-orders/:id/cancel')
  @Roles('dispatcher')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel with a reason; its reports stay open for another order' })
  cancel(@CurrentPrincipal() p: UserPrincipal, @Param() params: IdParam, @Body() body: CancelDto) {
    return this.dispatch.cancel(p, params.id, body.reason);
  }

  @Get('dispatch/queue')
  @Roles('dispatcher', 'admin')
  @ApiOperation({ summary: 'What needs a decision now: new reports to register, reopened ones, follow-ups, overdue items' })
  queue(@CurrentPrincipal() p: UserPrincipal, @Query() q: CityQuery) {
    return this.dispatch.queue(p, q.cityId);
  }

  @Get('dispatch/overdue')
  @Roles('dispatcher', 'akim', 'admin')
  @ApiOperation({ summary: 'Reports and work orders past their SLA target (the akim’s list)' })
  overdue(@CurrentPrincipal() p: UserPrincipal, @Query() q: CityQuery) {
    return this.dispatch.overdue(p, q.cityId);
  }
}
