import { Body, Controller, Get, Inject, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccountsService, type ClientContext, type UserPrincipal } from '../../../../libs/accounts/src/index.js';
import { Client, CurrentPrincipal, Roles } from './access.decorator.js';
import { AuditQuery, CreateUserDto, ListUsersQuery, UpdateUserDto, UserIdParam } from './auth.dto.js';

@ApiTags('administration')
@ApiBearerAuth()
@Controller('api/v1')
export class UsersController {
  constructor(@Inject(AccountsService) private readonly accounts: AccountsService) {}

  @Get('admin/users')
  @Roles('admin')
  @ApiOperation({ summary: 'List accounts (admins)' })
  list(@Query() query: ListUsersQuery) {
    return this.accounts.listUsers(query);
  }

  @Post('admin/users')
  @Roles('admin')
  @ApiOperation({ summary: 'Create a staff account: dispatcher (city, optional districts), akim (city or national), admin' })
  create(@Body() body: CreateUserDto, @CurrentPrincipal() actor: UserPrincipal, @Client() client: ClientContext) {
    return this.accounts.createStaff(actor, body, client);
  }

  @Patch('admin/users/:id')
  @Roles('admin')
  @ApiOperation({ summary: 'Disable or enable an account; disabling ends its sessions at once' })
  update(@Param() params: UserIdParam, @Body() body: UpdateUserDto, @CurrentPrincipal() actor: UserPrincipal, @Client() client: ClientContext) {
    return this.accounts.setDisabled(actor, params.id, body.disabled, client);
  }

  @Get('audit')
  @Roles('admin', 'akim')
  @ApiOperation({ summary: 'Audit trail of staff actions: admins see all, akims their city' })
  audit(@Query() query: AuditQuery, @CurrentPrincipal() actor: UserPrincipal) {
    return this.accounts.listAudit(actor, query);
  }
}
