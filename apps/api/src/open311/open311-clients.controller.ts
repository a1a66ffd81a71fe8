import { Body, Controller, Delete, Get, Inject, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { ClientContext, UserPrincipal } from '../../../../libs/accounts/src/index.js';
import { Open311ClientsService } from '../../../../libs/open311/src/index.js';
import { Client, CurrentPrincipal, Roles } from '../auth/access.decorator.js';
import { CreateOpen311ClientDto, Open311ClientIdParam } from './open311-clients.dto.js';

@ApiTags('administration')
@ApiBearerAuth()
@Controller('api/v1/admin/open311-clients')
export class Open311ClientsController {
  constructor(@Inject(Open311ClientsService) private readonly clients: Open311ClientsService) {}

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: 'Issue an Open311 API key: {id, name, apiKey}; the key is shown this once' })
  create(@Body() body: CreateOpen311ClientDto, @CurrentPrincipal() actor: UserPrincipal, @Client() client: ClientContext, @Res({ passthrough: true }) reply: FastifyReply) {
    void reply.header('cache-control', 'no-store');
    return this.clients.issue(actor, body.name, client.requestId);
  }

  @Get()
  @Roles('admin')
  @ApiOperation({ summary: 'Open311 clients with lastUsedAt and revoked (never their keys)' })
  list() {
    return this.clients.list();
  }

  @Delete(':id')
  @Roles('admin')
  @ApiOperation({ summary: 'Revoke an Open311 client\'s key: refused from its next request' })
  revoke(@Param() params: Open311ClientIdParam, @CurrentPrincipal() actor: UserPrincipal, @Client() client: ClientContext) {
    return this.clients.revoke(actor, params.id, client.requestId);
  }
}
