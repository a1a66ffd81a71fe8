import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import argon2 from 'argon2';
import { DataSource, type EntityManager } from 'typeorm';
import { AppConfig, RateLimiter, TooManyRequestsError } from '../../core/src/index.js';
import { NotificationsService } from '../../notifications/src/index.js';
import { AccountsErrors } from './accounts.errors.js';
import { AuditRepository, type AuditRow } from './audit.repository.js';
import { normaliseEmail, normaliseKazakhMobile, parseLogin } from './login-identifier.js';
import { passwordProblem } from './password-policy.js';
import { readableCities, type Role, type UserPrincipal } from './principal.js';
import { SessionsRepository } from './sessions.repository.js';
import { UsersRepository, type UserRow } from './users.repository.js';

/** What the API shows of an account: never the hash, never session data. */
export interface PublicUser {
  id: string;
  email: string | null;
  phone: string | null;
  displayName: string | null;
  role: Role;
  cityId: string | null;
  districtIds: string[];
  disabled: boolean;
}

export interface IssuedSession {
  accessToken: string;
  expiresIn: number;
  refreshToken: string;
  refreshExpiresAt: Date;
  user: PublicUser;
}

export interface ClientContext {
  ip: string | null;
  userAgent: string | null;
  requestId?: string | null;
}

interface AccessClaims {
  sub: string;
  sid: string;
  role: Role;
  typ: 'access';
}

/** Brute-force limits (per account and per IP); stored in Redis so they hold across API processes. */
export const LIMITS = {
  accountFailures: { limit: 5, windowSeconds: 15 * 60 },
  loginPerIp: { limit: 30, windowSeconds: 5 * 60 },
  signupPerIp: { limit: 10, windowSeconds: 60 * 60 },
  resetPerIp: { limit: 5, windowSeconds: 60 * 60 },
} as const;

export const RESET_TOKEN_MINUTES = 30;

// OWASP's argon2id baseline (19 MiB, 2 passes): strong, and fast enough to sign in on a busy server.
const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function toPublicUser(u: UserRow): PublicUser {
  return {
    id: u.id,
    email: u.email,
    phone: u.phone,
    displayName: u.displayName,
    role: u.role,
    cityId: u.cityId,
    districtIds: u.districtIds ?? [],
    disabled: u.disabledAt !== null,
  };
}

export function hashRefreshToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

export interface NewStaff {
  email?: string;
  phone?: string;
  displayName?: string;
  password: string;
  role: Role;
  cityId?: string | null;
  districtIds?: string[];
}

/** Sign-up, sign-in, sessions, staff accounts and the audit trail. */
@Injectable()
export class AccountsService implements OnModuleInit {
  private readonly logger = new Logger(AccountsService.name);
  private dummyHash = '';

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(UsersRepository) private readonly users: UsersRepository,
    @Inject(SessionsRepository) private readonly sessions: SessionsRepository,
    @Inject(AuditRepository) private readonly audit: AuditRepository,
    @Inject(RateLimiter) private readonly limiter: RateLimiter,
    @Inject(JwtService) private readonly jwt: JwtService,
    @Inject(NotificationsService) private readonly notifications: NotificationsService,
  ) {}

  async onModuleInit(): Promise<void> {
    // Unknown logins are checked against this so they take as long as known ones.
    this.dummyHash = await argon2.hash(randomBytes(16).toString('hex'), ARGON2_OPTIONS);
  }

  hashPassword(password: string): Promise<string> {
    return argon2.hash(password, ARGON2_OPTIONS);
  }

  /** A resident creates an account and is signed in. */
  async signUp(input: { email?: string; phone?: string; password: string; displayName?: string }, ctx: ClientContext): Promise<IssuedSession> {
    await this.limit(`signup-ip:${ctx.ip ?? 'unknown'}`, LIMITS.signupPerIp, 'Too many sign-ups from your network; try again later.');
    const { email, phone } = this.identifiers(input);
    this.checkPassword('password', input.password, email ?? phone);
    const passwordHash = await this.hashPassword(input.password);
    return this.dataSource.transaction(async (manager) => {
      const inserted = await this.users.insert(manager, {
        email,
        phone,
        displayName: input.displayName?.trim() || null,
        passwordHash,
        role: 'resident',
        cityId: null,
        districtIds: [],
        createdBy: null,
      });
      if ('taken' in inserted) throw AccountsErrors.taken(inserted.taken);
      return this.issue(manager, inserted.user, ctx);
    });
  }

  async login(login: string, password: string, ctx: ClientContext): Promise<IssuedSession> {
    await this.limit(`login-ip:${ctx.ip ?? 'unknown'}`, LIMITS.loginPerIp, 'Too many sign-in attempts from your network; try again later.');
    const id = parseLogin(login);
    const user = id ? await this.users.findByLogin(id.kind, id.value) : null;
    if (!user) {
      await argon2.verify(this.dummyHash, password).catch(() => false);
      throw AccountsErrors.badCredentials();
    }
    const bucket = `login-fail:${user.id}`;
    const lock = await this.limiter.peek(bucket, LIMITS.accountFailures.limit, LIMITS.accountFailures.windowSeconds);
    if (!lock.allowed) {
      this.logger.warn({ msg: 'login refused: account locked after failed attempts', userId: user.id });
      throw new TooManyRequestsError(
        'accounts.locked',
        `Too many failed sign-ins for this account; try again in ${Math.ceil(lock.retryAfterSeconds / 60)} minute(s).`,
        lock.retryAfterSeconds,
      );
    }
    const ok = await argon2.verify(user.passwordHash, password).catch(() => false);
    if (!ok) {
      await this.limiter.record(bucket, LIMITS.accountFailures.windowSeconds);
      throw AccountsErrors.badCredentials();
    }
    // A disabled account learns nothing more than a wrong password would tell.
    if (user.disabledAt) throw AccountsErrors.badCredentials();
    await this.limiter.reset(bucket);
    return this.dataSource.transaction((manager) => this.issue(manager, user, ctx));
  }

  /** Swaps a refresh token for a new pair; a token used twice ends its whole session family. */
  async refresh(refreshToken: string, ctx: ClientContext): Promise<IssuedSession> {
    const found = await this.sessions.lookupToken(hashRefreshToken(refreshToken));
    if (!found) throw AccountsErrors.sessionEnded();
    if (found.usedAt) {
      await this.sessions.revoke(found.sessionId, 'refresh token reuse');
      this.logger.warn({ msg: 'refresh token reused: session family revoked', sessionId: found.sessionId, userId: found.userId });
      throw AccountsErrors.sessionEnded();
    }
    if (found.sessionRevoked || found.sessionExpired || found.userDisabled) throw AccountsErrors.sessionEnded();
    return this.dataSource.transaction(async (manager) => {
      if (!(await this.sessions.markUsed(manager, found.tokenId))) {
        await this.sessions.revoke(found.sessionId, 'refresh token reuse', manager);
        throw AccountsErrors.sessionEnded();
      }
      const user = await this.users.findById(found.userId, manager);
      if (!user) throw AccountsErrors.sessionEnded();
      return this.rotate(manager, found.sessionId, user);
    });
  }

  async logout(sessionId: string): Promise<void> {
    await this.sessions.revoke(sessionId, 'logout');
  }

  /** Ends the session a refresh token belongs to (sign-out when the access token is gone). */
  async logoutByRefreshToken(refreshToken: string): Promise<void> {
    const found = await this.sessions.lookupToken(hashRefreshToken(refreshToken));
    if (found) await this.sessions.revoke(found.sessionId, 'logout');
  }

  /** Resolves an access token to the live principal; null when invalid, expired, ended or disabled. */
  async authenticate(accessToken: string): Promise<UserPrincipal | null> {
    let claims: AccessClaims;
    try {
      claims = await this.jwt.verifyAsync<AccessClaims>(accessToken, { algorithms: ['HS256'] });
    } catch {
      return null;
    }
    if (claims.typ !== 'access' || !claims.sub || !claims.sid) return null;
    const live = await this.sessions.active(claims.sid, claims.sub);
    if (!live) return null;
    return { kind: 'user', userId: live.userId, sessionId: live.sessionId, role: live.role, cityId: live.cityId, districtIds: live.districtIds ?? [] };
  }

  async me(principal: UserPrincipal): Promise<PublicUser> {
    const user = await this.users.findById(principal.userId);
    if (!user) throw AccountsErrors.notSignedIn();
    return toPublicUser(user);
  }

  /** Changes the password and ends every session of the account; the caller gets a fresh one. */
  async changePassword(principal: UserPrincipal, currentPassword: string, newPassword: string, ctx: ClientContext): Promise<IssuedSession> {
    const user = await this.users.findById(principal.userId);
    if (!user) throw AccountsErrors.notSignedIn();
    if (!(await argon2.verify(user.passwordHash, currentPassword).catch(() => false))) {
      throw AccountsErrors.weakPassword('currentPassword', 'is not your current password');
    }
    this.checkPassword('newPassword', newPassword, user.email ?? user.phone);
    const hash = await this.hashPassword(newPassword);
    return this.dataSource.transaction(async (manager) => {
      await this.users.setPassword(manager, user.id, hash);
      await this.sessions.revokeAllOfUser(manager, user.id, 'password changed');
      if (user.role !== 'resident') {
        await this.audit.write(manager, {
          actorId: user.id, actorRole: user.role, action: 'user.password_changed', objectType: 'user', objectId: user.id,
          cityId: user.cityId, before: null, after: null, requestId: ctx.requestId,
        });
      }
      return this.issue(manager, user, ctx);
    });
  }

  /**
   * Starts a password reset: when the login belongs to an account with an email, a one-time link valid
   * 30 minutes is emailed. The answer is the same whether or not the account exists.
   */
  async requestPasswordReset(login: string, ctx: ClientContext): Promise<void> {
    await this.limit(`reset-ip:${ctx.ip ?? 'unknown'}`, LIMITS.resetPerIp, 'Too many password reset requests from your network; try again later.');
    const id = parseLogin(login);
    const user = id ? await this.users.findByLogin(id.kind, id.value) : null;
    if (!user || user.disabledAt || !user.email) return;
    const token = randomBytes(32).toString('base64url');
    await this.dataSource.transaction(async (manager) => {
      await this.sessions.createReset(manager, user.id, hashRefreshToken(token), RESET_TOKEN_MINUTES);
      const link = `${this.notifications.publicUrl}/reset-password#token=${token}`;
      await this.notifications.email(
        manager,
        user.email!,
        'Taza Map: құпиясөзді қалпына келтіру / восстановление пароля / password reset',
        [
          'Жаңа құпиясөз орнату үшін сілтемені 30 минут ішінде ашыңыз:',
          'Чтобы задать новый пароль, откройте ссылку в течение 30 минут:',
          'To choose a new password, open this link within 30 minutes:',
          '',
          link,
          '',
          'If you did not ask for this, ignore this email; your password stays as it is.',
        ].join('\n'),
      );
    });
  }

  /** Finishes a reset: sets the new password and ends every session of the account. */
  async resetPassword(token: string, newPassword: string, ctx: ClientContext): Promise<void> {
    await this.limit(`reset-ip:${ctx.ip ?? 'unknown'}`, LIMITS.resetPerIp, 'Too many password reset attempts from your network; try again later.');
    await this.dataSource.transaction(async (manager) => {
      const userId = await this.sessions.useReset(manager, hashRefreshToken(token));
      if (!userId) throw AccountsErrors.badLogin('token', 'this reset link is unknown, used or expired; ask for a new one');
      const user = (await this.users.findById(userId, manager))!;
      this.checkPassword('newPassword', newPassword, user.email ?? user.phone);
      await this.users.setPassword(manager, userId, await this.hashPassword(newPassword));
      await this.sessions.revokeAllOfUser(manager, userId, 'password reset');
      await this.limiter.reset(`login-fail:${userId}`);
    });
  }

  /** An admin creates a staff account (or a resident account on someone's behalf). */
  async createStaff(actor: UserPrincipal | null, input: NewStaff, ctx: ClientContext): Promise<PublicUser> {
    const { email, phone } = this.identifiers(input);
    const cityId = input.cityId ?? null;
    const districtIds = input.districtIds ?? [];
    if ((input.role === 'dispatcher' || input.role === 'crew') && !cityId) throw AccountsErrors.invalidScope('cityId', `a ${input.role} needs a city`);
    if ((input.role === 'admin' || input.role === 'resident') && cityId) throw AccountsErrors.invalidScope('cityId', `a ${input.role} has no city`);
    if (input.role !== 'dispatcher' && districtIds.length > 0) throw AccountsErrors.invalidScope('districtIds', 'only dispatchers are limited to districts');
    if (cityId && !(await this.users.cityExists(cityId))) throw AccountsErrors.invalidScope('cityId', 'no city has this id');
    if (cityId && districtIds.length && (await this.users.districtsOfCity(cityId, districtIds)) !== new Set(districtIds).size) {
      throw AccountsErrors.invalidScope('districtIds', 'every district must belong to the city');
    }
    this.checkPassword('password', input.password, email ?? phone);
    const passwordHash = await this.hashPassword(input.password);
    return this.dataSource.transaction(async (manager) => {
      const inserted = await this.users.insert(manager, {
        email, phone, displayName: input.displayName?.trim() || null, passwordHash, role: input.role, cityId, districtIds,
        createdBy: actor?.userId ?? null,
      });
      if ('taken' in inserted) throw AccountsErrors.taken(inserted.taken);
      const created = toPublicUser(inserted.user);
      await this.audit.write(manager, {
        actorId: actor?.userId ?? null, actorRole: actor?.role ?? 'system', action: 'user.created', objectType: 'user',
        objectId: created.id, cityId, before: null, after: created, requestId: ctx.requestId,
      });
      return created;
    });
  }

  /** Disabling an account ends all its sessions at once. */
  async setDisabled(actor: UserPrincipal, userId: string, disabled: boolean, ctx: ClientContext): Promise<PublicUser> {
    return this.dataSource.transaction(async (manager) => {
      const before = await this.users.findById(userId, manager);
      if (!before) throw AccountsErrors.notFound();
      if (before.id === actor.userId && disabled) throw AccountsErrors.invalidScope('disabled', 'you cannot disable your own account');
      const after = await this.users.setDisabled(manager, userId, disabled);
      if (disabled) await this.sessions.revokeAllOfUser(manager, userId, 'account disabled');
      await this.audit.write(manager, {
        actorId: actor.userId, actorRole: actor.role, action: disabled ? 'user.disabled' : 'user.enabled', objectType: 'user',
        objectId: userId, cityId: before.cityId, before: toPublicUser(before), after: after && toPublicUser(after), requestId: ctx.requestId,
      });
      return toPublicUser(after!);
    });
  }

  async listUsers(filter: { role?: Role; cityId?: string; limit: number; offset: number }): Promise<PublicUser[]> {
    return (await this.users.list(filter)).map(toPublicUser);
  }

  /** Admins read the whole trail; akims read their city's (all of it with the national view). */
  async listAudit(actor: UserPrincipal, filter: { cityId?: string; limit: number; beforeId?: string }): Promise<AuditRow[]> {
    const scope = readableCities(actor);
    let cityIds: string[] | null = scope;
    if (filter.cityId) {
      if (scope && !scope.includes(filter.cityId)) return [];
      cityIds = [filter.cityId];
    }
    return this.audit.list({ cityIds, limit: filter.limit, beforeId: filter.beforeId });
  }

  /** Writes an audit row for a staff action of another domain, inside its transaction. */
  recordAudit(manager: EntityManager, actor: UserPrincipal, entry: { action: string; objectType: string; objectId: string; cityId: string | null; before: unknown; after: unknown }, requestId?: string | null) {
    return this.audit.write(manager, { actorId: actor.userId, actorRole: actor.role, requestId, ...entry });
  }

  /** The demo accounts of DESIGN.md; a second run adds nothing. Only in dev/demo mode. */
  async loadDemoAccounts(): Promise<number> {
    if (!this.config.DEMO_DATA) return 0;
    const password = this.config.DEMO_PASSWORD;
    const wanted: NewStaff[] = [{ email: 'admin@taza.example', role: 'admin', password, displayName: 'Demo admin' }];
    for (const slug of ['almaty', 'astana', 'kostanay', 'zhezkazgan']) {
      const cityId = await this.users.cityIdBySlug(slug);
      if (!cityId) continue;
      const city = slug[0].toUpperCase() + slug.slice(1);
      wanted.push({ email: `dispatcher.${slug}@taza.example`, role: 'dispatcher', cityId, password, displayName: `${city} dispatcher` });
      wanted.push({ email: `akim.${slug}@taza.example`, role: 'akim', cityId, password, displayName: `${city} akim` });
    }
    let created = 0;
    for (const account of wanted) {
      if (await this.users.findByLogin('email', account.email!)) continue;
      await this.createStaff(null, account, { ip: null, userAgent: null });
      created += 1;
    }
    return created;
  }

  /** A demo account with the demo password, unless one with this email exists. Only in dev/demo mode. */
  async createDemoAccount(account: Omit<NewStaff, 'password'>): Promise<boolean> {
    if (!this.config.DEMO_DATA || !account.email || (await this.users.findByLogin('email', account.email))) return false;
    await this.createStaff(null, { ...account, password: this.config.DEMO_PASSWORD }, { ip: null, userAgent: null });
    return true;
  }

  private identifiers(input: { email?: string; phone?: string }): { email: string | null; phone: string | null } {
    const email = input.email !== undefined && input.email !== '' ? normaliseEmail(input.email) : null;
    if (input.email && !email) throw AccountsErrors.badLogin('email', 'is not an email address');
    const phone = input.phone !== undefined && input.phone !== '' ? normaliseKazakhMobile(input.phone) : null;
    if (input.phone && !phone) throw AccountsErrors.badLogin('phone', 'must be a Kazakh mobile number like +7 701 234 56 78');
    if (!email && !phone) throw AccountsErrors.badLogin('email', 'an email address or a phone number is required');
    return { email, phone };
  }

  private checkPassword(field: string, password: string, login: string | null): void {
    const problem = passwordProblem(password, { login });
    if (problem) throw AccountsErrors.weakPassword(field, problem);
  }

  private async limit(bucket: string, rule: { limit: number; windowSeconds: number }, message: string): Promise<void> {
    const res = await this.limiter.hit(bucket, rule.limit, rule.windowSeconds);
    if (!res.allowed) throw new TooManyRequestsError('accounts.rate_limited', message, res.retryAfterSeconds);
  }

  private async issue(manager: EntityManager, user: UserRow, ctx: ClientContext): Promise<IssuedSession> {
    const sessionId = await this.sessions.create(manager, user.id, this.config.REFRESH_TOKEN_TTL_DAYS, ctx.userAgent, ctx.ip);
    return this.rotate(manager, sessionId, user);
  }

  private async rotate(manager: EntityManager, sessionId: string, user: UserRow): Promise<IssuedSession> {
    const refreshToken = randomBytes(32).toString('base64url');
    await this.sessions.addToken(manager, sessionId, hashRefreshToken(refreshToken));
    const claims: AccessClaims = { sub: user.id, sid: sessionId, role: user.role, typ: 'access' };
    const accessToken = await this.jwt.signAsync(claims, { expiresIn: this.config.ACCESS_TOKEN_TTL_SECONDS, algorithm: 'HS256' });
    return {
      accessToken,
      expiresIn: this.config.ACCESS_TOKEN_TTL_SECONDS,
      refreshToken,
      refreshExpiresAt: new Date(Date.now() + this.config.REFRESH_TOKEN_TTL_DAYS * 86400_000),
      user: toPublicUser(user),
    };
  }
}
