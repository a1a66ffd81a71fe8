import { timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, InternalServerErrorException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AccountsErrors, AccountsService, type Principal } from '../../../../libs/accounts/src/index.js';
import { AppConfig } from '../../../../libs/core/src/index.js';
import { CamerasService } from '../../../../libs/incidents/src/index.js';
import { ACCESS_KEY, type AccessRule, type AuthedRequest } from './access.decorator.js';

export function bearerToken(header: unknown): string | null {
  if (typeof header !== 'string') return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  return match ? match[1] : null;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The global guard: resolves the caller, then applies the route's access rule (fail closed). */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(AccountsService) private readonly accounts: AccountsService,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(CamerasService) private readonly cameras: CamerasService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_KEY, [context.getHandler(), context.getClass()]);
    if (!rule) throw new InternalServerErrorException(`Route ${context.getClass().name}.${context.getHandler().name} declares no access rule`);
    const request = context.switchToHttp().getRequest<AuthedRequest>();
    if (rule.kind === 'camera') {
      request.principal = null;
      request.camera = await this.cameras.authenticate({ method: request.method, url: request.url, headers: request.headers, body: request.rawBody ?? Buffer.alloc(0) });
      return true;
    }
    const token = bearerToken(request.headers.authorization);

    if (rule.kind === 'metrics' && token && this.config.METRICS_TOKEN && sameSecret(token, this.config.METRICS_TOKEN)) return true;

    const principal: Principal | null = token ? await this.accounts.authenticate(token) : null;
    request.principal = principal;
    if (rule.kind === 'public') return true;
    if (!principal) throw token ? AccountsErrors.sessionEnded() : AccountsErrors.notSignedIn();
    if (rule.kind === 'signed-in') return true;
    if (rule.kind === 'metrics') {
      if (principal.role === 'admin') return true;
      throw AccountsErrors.forbidden();
    }
    if (!rule.roles.includes(principal.role)) throw AccountsErrors.forbidden();
    return true;
  }
}
