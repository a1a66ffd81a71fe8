import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AccountsErrors, AccountsService, type ClientContext, type IssuedSession, type UserPrincipal } from '../../../../libs/accounts/src/index.js';
import { AppConfig } from '../../../../libs/core/src/index.js';
import { Client, CurrentPrincipal, Public, SignedIn } from './access.decorator.js';
import { ChangePasswordDto, LoginDto, PasswordResetDto, PasswordResetRequestDto, RefreshDto, SignUpDto } from './auth.dto.js';
import { bearerToken } from './auth.guard.js';
import { clearSessionCookies, cookie, REFRESH_COOKIE, setSessionCookies } from './session-cookies.js';

@ApiTags('accounts')
@Controller('api/v1')
export class AuthController {
  constructor(
    @Inject(AccountsService) private readonly accounts: AccountsService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  @Post('auth/signup')
  @Public()
  @HttpCode(201)
  @ApiOperation({ summary: 'A resident creates an account (email or Kazakh mobile) and is signed in' })
  async signUp(@Body() body: SignUpDto, @Client() client: ClientContext, @Res({ passthrough: true }) reply: FastifyReply) {
    const session = await this.accounts.signUp(body, client);
    return this.answer(reply, session, body.refreshTokenInBody);
  }

  @Post('auth/login')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in with email or phone and password; sets the refresh cookie' })
  async login(@Body() body: LoginDto, @Client() client: ClientContext, @Res({ passthrough: true }) reply: FastifyReply) {
    const session = await this.accounts.login(body.login, body.password, client);
    return this.answer(reply, session, body.refreshTokenInBody);
  }

  @Post('auth/refresh')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Exchange the refresh token (cookie or body) for new tokens; each refresh token works once' })
  async refresh(@Body() body: RefreshDto, @Req() request: FastifyRequest, @Client() client: ClientContext, @Res({ passthrough: true }) reply: FastifyReply) {
    const token = body.refreshToken ?? cookie(request, REFRESH_COOKIE);
    if (!token) throw AccountsErrors.notSignedIn();
    const session = await this.accounts.refresh(token, client);
    return this.answer(reply, session, body.refreshTokenInBody ?? body.refreshToken !== undefined);
  }

  @Post('auth/logout')
  @Public()
  @HttpCode(204)
  @ApiOperation({ summary: 'End this session (access token or refresh token/cookie) and clear the cookies' })
  async logout(@Body() body: RefreshDto, @Req() request: FastifyRequest, @CurrentPrincipal() principal: UserPrincipal | null, @Res({ passthrough: true }) reply: FastifyReply) {
    if (principal) await this.accounts.logout(principal.sessionId);
    const refreshToken = body?.refreshToken ?? cookie(request, REFRESH_COOKIE);
    if (refreshToken) await this.accounts.logoutByRefreshToken(refreshToken);
    if (!principal && !refreshToken && bearerToken(request.headers.authorization) === null) throw AccountsErrors.notSignedIn();
    clearSessionCookies(reply, this.config);
  }

  @Post('auth/password-reset')
  @Public()
  @HttpCode(202)
  @ApiOperation({ summary: 'Email a one-time reset link (30 min) to the account; the same answer whether or not it exists' })
  async requestReset(@Body() body: PasswordResetRequestDto, @Client() client: ClientContext) {
    await this.accounts.requestPasswordReset(body.login, client);
    return { message: 'If an account with an email address matches, a reset link is on its way.' };
  }

  @Post('auth/password-reset/confirm')
  @Public()
  @HttpCode(204)
  @ApiOperation({ summary: 'Set a new password with the emailed token; every session of the account ends' })
  async reset(@Body() body: PasswordResetDto, @Client() client: ClientContext) {
    await this.accounts.resetPassword(body.token, body.newPassword, client);
  }

  @Get('me')
  @SignedIn()
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The signed-in account' })
  me(@CurrentPrincipal() principal: UserPrincipal) {
    return this.accounts.me(principal);
  }

  @Post('me/password')
  @SignedIn()
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Change the password: every session of the account ends; new tokens are returned' })
  async changePassword(@Body() body: ChangePasswordDto, @CurrentPrincipal() principal: UserPrincipal, @Client() client: ClientContext, @Res({ passthrough: true }) reply: FastifyReply) {
    const session = await this.accounts.changePassword(principal, body.currentPassword, body.newPassword, client);
    return this.answer(reply, session, false);
  }

  private answer(reply: FastifyReply, session: IssuedSession, inBody: boolean | undefined) {
    void reply.header('cache-control', 'no-store');
    if (inBody) {
      return { accessToken: session.accessToken, expiresIn: session.expiresIn, refreshToken: session.refreshToken, user: session.user };
    }
    setSessionCookies(reply, session, this.config);
    return { accessToken: session.accessToken, expiresIn: session.expiresIn, user: session.user };
  }
}
