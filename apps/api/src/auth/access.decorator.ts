import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Principal, Role } from '../../../../libs/accounts/src/index.js';
import type { ClientContext } from '../../../../libs/accounts/src/index.js';

/**
 * Who may call a route. Every route must say it: the guard refuses routes without a rule, and the access
 * matrix test lists every route.
 *  - 'public': anyone, signed in or not
 *  - 'signed-in': any account
 *  - 'metrics': an admin, or a scraper with METRICS_TOKEN
 *  - roles: only those roles
 */
export type AccessRule = { kind: 'public' } | { kind: 'signed-in' } | { kind: 'metrics' } | { kind: 'roles'; roles: Role[] };

export const ACCESS_KEY = 'taza:access';

export const Public = () => SetMetadata(ACCESS_KEY, { kind: 'public' } satisfies AccessRule);
export const SignedIn = () => SetMetadata(ACCESS_KEY, { kind: 'signed-in' } satisfies AccessRule);
export const MetricsAccess = () => SetMetadata(ACCESS_KEY, { kind: 'metrics' } satisfies AccessRule);
export const Roles = (...roles: Role[]) => SetMetadata(ACCESS_KEY, { kind: 'roles', roles } satisfies AccessRule);

export interface AuthedRequest extends FastifyRequest {
  principal?: Principal | null;
}

/** The signed-in caller (the guard has put it there; null on public routes for anonymous callers). */
export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext) => ctx.switchToHttp().getRequest<AuthedRequest>().principal ?? null);

/** Who is calling from where: for sessions, rate limits and the audit trail. */
export const Client = createParamDecorator((_: unknown, ctx: ExecutionContext): ClientContext => {
  const req = ctx.switchToHttp().getRequest<FastifyRequest>();
  const ua = req.headers['user-agent'];
  return { ip: req.ip ?? null, userAgent: typeof ua === 'string' ? ua : null, requestId: String(req.id) };
});
