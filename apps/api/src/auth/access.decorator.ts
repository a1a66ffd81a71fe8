import { applyDecorators, createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import type { CameraCaller } from '../../../../libs/incidents/src/index.js';
import type { Principal, Role } from '../../../../libs/accounts/src/index.js';
import type { ClientContext } from '../../../../libs/accounts/src/index.js';

/**
 * Who may call a route. Every route must say it: the guard refuses routes without a rule, and the access
 * matrix test lists every route.
 *  - 'public': anyone, signed in or not
 *  - 'signed-in': any account
 *  - 'metrics': an admin, or a scraper with METRICS_TOKEN
 *  - roles: only those roles
 *  - 'camera': a camera's request signed with one of its keys (DESIGN.md), no account
 */
export type AccessRule = { kind: 'public' } | { kind: 'signed-in' } | { kind: 'metrics' } | { kind: 'roles'; roles: Role[] } | { kind: 'camera' };

export const ACCESS_KEY = 'taza:access';

export const Public = () => SetMetadata(ACCESS_KEY, { kind: 'public' } satisfies AccessRule);
export const SignedIn = () => SetMetadata(ACCESS_KEY, { kind: 'signed-in' } satisfies AccessRule);
export const MetricsAccess = () => SetMetadata(ACCESS_KEY, { kind: 'metrics' } satisfies AccessRule);
export const Roles = (...roles: Role[]) => SetMetadata(ACCESS_KEY, { kind: 'roles', roles } satisfies AccessRule);
/** Fastify route config flag: app.factory keeps the raw body of these routes for the signature check. */
export const CAMERA_SIGNED_ROUTE = 'cameraSigned';
export const CameraSigned = () => applyDecorators(SetMetadata(ACCESS_KEY, { kind: 'camera' } satisfies AccessRule), RouteConfig({ [CAMERA_SIGNED_ROUTE]: true }));

export interface AuthedRequest extends FastifyRequest {
  principal?: Principal | null;
  /** The camera that signed the request (camera routes only). */
  camera?: CameraCaller;
  /** The exact request bytes (camera routes only). */
  rawBody?: Buffer;
}

/** The camera whose signature the guard checked. */
export const CurrentCamera = createParamDecorator((_: unknown, ctx: ExecutionContext) => ctx.switchToHttp().getRequest<AuthedRequest>().camera!);

/** The signed-in caller (the guard has put it there; null on public routes for anonymous callers). */
export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext) => ctx.switchToHttp().getRequest<AuthedRequest>().principal ?? null);

/** Who is calling from where: for sessions, rate limits and the audit trail. */
export const Client = createParamDecorator((_: unknown, ctx: ExecutionContext): ClientContext => {
  const req = ctx.switchToHttp().getRequest<FastifyRequest>();
  const ua = req.headers['user-agent'];
  return { ip: req.ip ?? null, userAgent: typeof ua === 'string' ? ua : null, requestId: String(req.id) };
});
