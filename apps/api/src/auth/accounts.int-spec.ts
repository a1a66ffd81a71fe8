import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { projectRoot, type AppConfig } from '../../../../libs/core/src/index.js';
import { signIn, type TestDatabase } from '../../../../libs/testing/src/index.js';
import { startTestApi, stopTestApi } from '../testing/test-api.js';

describe('accounts (real PostgreSQL and Redis)', () => {
  let db: TestDatabase;
  let config: AppConfig;
  let app: NestFastifyApplication;
  let ds: DataSource;
  let ipCounter = 0;
  /** A fresh client address per call, so the per-IP limits only bite where a test wants them to. */
  const ip = () => `10.1.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}`;

  const signup = (payload: Record<string, unknown>, remoteAddress = ip()) =>
    app.inject({ method: 'POST', url: '/api/v1/auth/signup', payload, remoteAddress });
  const login = (loginName: string, password: string, remoteAddress = ip()) =>
    app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login: loginName, password }, remoteAddress });
  const me = (token: string) => app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
  const count = async (sql: string, params: unknown[] = []) => Number((await ds.query(sql, params))[0].n);

  beforeAll(async () => {
    ({ db, config, app, ds } = await startTestApi());
  });
  afterAll(() => stopTestApi({ app, config, db }));

  describe('sign-up', () => {
    it('creates a resident with a normalised phone number, signs them in and sets a safe refresh cookie', async () => {
      const res = await signup({ phone: '8 (701) 555-12-34', password: 'steppe winds at dawn', displayName: 'Aigerim' });
      expect(res.statusCode).toBe(201);
      const body = res.json();
      expect(body.user).toMatchObject({ phone: '+77015551234', email: null, role: 'resident', cityId: null, displayName: 'Aigerim' });
      expect(body.expiresIn).toBe(900);
      expect(body.refreshToken).toBeUndefined();
      const cookie = res.cookies.find((c) => c.name === 'taza_refresh')!;
      expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Lax', path: '/api/v1/auth' });
      expect((await me(body.accessToken)).json().phone).toBe('+77015551234');
      const [row] = await ds.query(`SELECT password_hash FROM users WHERE phone = '+77015551234'`);
      expect(row.password_hash).toMatch(/^\$argon2id\$/);
    });

    it('refuses a common password with a sentence saying why, and stores nothing', async () => {
      const res = await signup({ email: 'weak@example.kz', password: 'password123' });
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
      expect(res.json().errors).toEqual([{ field: 'password', message: expect.stringMatching(/most common passwords/) }]);
      expect(await count(`SELECT count(*) AS n FROM users WHERE email = 'weak@example.kz'`)).toBe(0);
      expect((await signup({ email: 'short@example.kz', password: 'abc' })).json().errors[0]).toEqual({ field: 'password', message: 'must be at least 8 characters long' });
    });

    it('will not let a client set its own role, city or anything else it does not own', async () => {
      const res = await signup({ email: 'sneaky@example.kz', password: 'a fairly long passphrase', role: 'admin', cityId: '00000000-0000-4000-8000-000000000000' });
      expect(res.statusCode).toBe(400);
      expect(res.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['cityId', 'role']);
      expect(await count(`SELECT count(*) AS n FROM users WHERE email = 'sneaky@example.kz'`)).toBe(0);
    });

    it('answers 409 naming the field when the email is taken', async () => {
      expect((await signup({ email: 'twice@example.kz', password: 'first long passphrase' })).statusCode).toBe(201);
      const again = await signup({ email: 'TWICE@example.kz', password: 'second long passphrase' });
      expect(again.statusCode).toBe(409);
      expect(again.json().errors[0].field).toBe('email');
    });

    it('limits sign-ups per IP', async () => {
      const from = '10.9.9.9';
      const statuses: number[] = [];
      for (let i = 0; i < 11; i++) statuses.push((await signup({ email: `burst${i}@example.kz`, password: 'burst long passphrase' }, from)).statusCode);
      expect(statuses.slice(0, 10).every((s) => s === 201)).toBe(true);
      expect(statuses[10]).toBe(429);
    });
  });

  describe('sign-in and brute force', () => {
    it('answers the DESIGN.md contract for a demo account', async () => {
      const res = await login('dispatcher.almaty@taza.example', 'taza-demo-2026');
      expect(res.statusCode).toBe(200);
      expect(Object.keys(res.json()).sort()).toEqual(['accessToken', 'expiresIn', 'user']);
      expect(res.json().user).toMatchObject({ email: 'dispatcher.almaty@taza.example', role: 'dispatcher' });
    });

    it('says the same for an unknown login and a wrong password, without echoing the login', async () => {
      const unknown = await login('nobody@example.kz', 'whatever password');
      const wrong = await login('akim.astana@taza.example', 'not the password');
      expect(unknown.statusCode).toBe(401);
      expect(wrong.statusCode).toBe(401);
      expect(unknown.json().detail).toBe(wrong.json().detail);
      expect(unknown.body).not.toContain('nobody@example.kz');
    });

    it('locks an account after 5 failures in 15 minutes, from any IP, with Retry-After', async () => {
      await signup({ email: 'victim@example.kz', password: 'victim long passphrase' });
      for (let i = 0; i < 5; i++) expect((await login('victim@example.kz', `guess ${i} wrong`)).statusCode).toBe(401);
      const locked = await login('victim@example.kz', 'victim long passphrase');
      expect(locked.statusCode).toBe(429);
      const retryAfter = Number(locked.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(800);
      expect(retryAfter).toBeLessThanOrEqual(900);
      expect(locked.json().detail).toMatch(/try again in 15 minute/);
      // Other accounts are not affected.
      expect((await login('akim.kostanay@taza.example', 'taza-demo-2026')).statusCode).toBe(200);
    });

    it('limits sign-in attempts per IP across accounts', async () => {
      const from = '10.8.8.8';
      const statuses: number[] = [];
      for (let i = 0; i < 31; i++) statuses.push((await login(`spray${i}@example.kz`, 'spray password', from)).statusCode);
      expect(statuses.slice(0, 30).every((s) => s === 401)).toBe(true);
      expect(statuses[30]).toBe(429);
    });
  });

  describe('sessions', () => {
    const refresh = (cookie: string) =>
      app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: {}, cookies: { taza_refresh: cookie }, remoteAddress: ip() });

    it('rotates the refresh token, and reuse of a rotated one ends the whole family', async () => {
      const first = await signIn(app, 'akim.zhezkazgan@taza.example');
      const r1 = await refresh(first.refreshCookie!);
      expect(r1.statusCode).toBe(200);
      const second = r1.cookies.find((c) => c.name === 'taza_refresh')!.value;
      expect(second).not.toBe(first.refreshCookie);
      const accessAfterRotation = r1.json().accessToken;
      expect((await me(accessAfterRotation)).statusCode).toBe(200);

      // The stolen old token comes back: the family ends, including the legitimate new tokens.
      expect((await refresh(first.refreshCookie!)).statusCode).toBe(401);
      expect((await refresh(second)).statusCode).toBe(401);
      expect((await me(accessAfterRotation)).statusCode).toBe(401);
      expect(await count(`SELECT count(*) AS n FROM sessions WHERE revoke_reason = 'refresh token reuse'`)).toBe(1);
    });

    it('gives API clients the refresh token in the body when they ask, stored only as a hash', async () => {
      const res = await app.inject({
        method: 'POST', url: '/api/v1/auth/login', remoteAddress: ip(),
        payload: { login: 'akim.almaty@taza.example', password: 'taza-demo-2026', refreshTokenInBody: true },
      });
      const { refreshToken } = res.json();
      expect(refreshToken).toMatch(/^[A-Za-z0-9_-]{40,}$/);
      expect(res.cookies.find((c) => c.name === 'taza_refresh')).toBeUndefined();
      expect(await count(`SELECT count(*) AS n FROM refresh_tokens WHERE token_hash::text LIKE '%' || $1 || '%'`, [refreshToken])).toBe(0);
      const next = await app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken }, remoteAddress: ip() });
      expect(next.statusCode).toBe(200);
      expect(next.json().refreshToken).toBeDefined();
    });

    it('logout ends the session at once: its access token and refresh cookie stop working', async () => {
      const s = await signIn(app, 'dispatcher.kostanay@taza.example');
      const out = await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: s.auth, cookies: { taza_refresh: s.refreshCookie! } });
      expect(out.statusCode).toBe(204);
      expect(out.cookies.find((c) => c.name === 'taza_refresh')?.value).toBe('');
      expect((await me(s.accessToken)).statusCode).toBe(401);
      expect((await refresh(s.refreshCookie!)).statusCode).toBe(401);
    });

    it('a password change ends every session of the account; the new password works, the old does not', async () => {
      await signup({ email: 'mover@example.kz', password: 'old long passphrase' });
      const phone = await signIn(app, 'mover@example.kz', 'old long passphrase');
      const laptop = await signIn(app, 'mover@example.kz', 'old long passphrase');
      const res = await app.inject({
        method: 'POST', url: '/api/v1/me/password', headers: laptop.auth,
        payload: { currentPassword: 'old long passphrase', newPassword: 'new long passphrase' },
      });
      expect(res.statusCode).toBe(200);
      expect((await me(phone.accessToken)).statusCode).toBe(401);
      expect((await me(laptop.accessToken)).statusCode).toBe(401);
      expect((await me(res.json().accessToken)).statusCode).toBe(200);
      expect((await refresh(phone.refreshCookie!)).statusCode).toBe(401);
      expect((await login('mover@example.kz', 'old long passphrase')).statusCode).toBe(401);
      expect((await login('mover@example.kz', 'new long passphrase')).statusCode).toBe(200);
    });

    it('an expired or forged access token is refused', async () => {
      const s = await signIn(app, 'akim.astana@taza.example');
      const [h, p] = s.accessToken.split('.');
      expect((await me(`${h}.${p}.forgedsignature`)).statusCode).toBe(401);
      const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
      const elevated = Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url');
      expect((await app.inject({ method: 'GET', url: '/api/v1/admin/users', headers: { authorization: `Bearer ${h}.${elevated}.${s.accessToken.split('.')[2]}` } })).statusCode).toBe(401);
    });
  });

  describe('password reset', () => {
    const requestReset = (loginName: string, remoteAddress = ip()) =>
      app.inject({ method: 'POST', url: '/api/v1/auth/password-reset', payload: { login: loginName }, remoteAddress });
    const tokenMailedTo = async (email: string) => {
      const [row] = await ds.query(`SELECT body FROM notifications WHERE recipient = $1 ORDER BY created_at DESC LIMIT 1`, [email]);
      return /#token=([A-Za-z0-9_-]+)/.exec(row?.body ?? '')?.[1] ?? null;
    };

    it('emails a one-time link; the new password works, sessions end, and the link cannot be used twice', async () => {
      await signup({ email: 'forgetful@example.kz', password: 'first long passphrase' });
      const session = await signIn(app, 'forgetful@example.kz', 'first long passphrase');
      const asked = await requestReset('Forgetful@Example.kz');
      expect(asked.statusCode).toBe(202);
      const token = await tokenMailedTo('forgetful@example.kz');
      expect(token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
      expect(await count(`SELECT count(*) AS n FROM outbox WHERE job_name = 'notifications.send'`)).toBeGreaterThan(0);

      const weak = await app.inject({ method: 'POST', url: '/api/v1/auth/password-reset/confirm', payload: { token, newPassword: 'qwertyuiop' }, remoteAddress: ip() });
      expect(weak.statusCode).toBe(400);
      expect(weak.json().errors[0].field).toBe('newPassword');
      // A refused new password does not use the link up.
      const done = await app.inject({ method: 'POST', url: '/api/v1/auth/password-reset/confirm', payload: { token, newPassword: 'second long passphrase' }, remoteAddress: ip() });
      expect(done.statusCode).toBe(204);
      expect((await me(session.accessToken)).statusCode).toBe(401);
      expect((await login('forgetful@example.kz', 'first long passphrase')).statusCode).toBe(401);
      expect((await login('forgetful@example.kz', 'second long passphrase')).statusCode).toBe(200);
      const again = await app.inject({ method: 'POST', url: '/api/v1/auth/password-reset/confirm', payload: { token, newPassword: 'third long passphrase' }, remoteAddress: ip() });
      expect(again.statusCode).toBe(400);
      expect(again.json().errors[0].field).toBe('token');
    });

    it('answers the same for an unknown account and sends nothing; limits requests per IP', async () => {
      const before = await count(`SELECT count(*) AS n FROM notifications`);
      const unknown = await requestReset('ghost@example.kz');
      expect(unknown.statusCode).toBe(202);
      expect(await count(`SELECT count(*) AS n FROM notifications`)).toBe(before);
      const from = '10.7.7.7';
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await requestReset(`ghost${i}@example.kz`, from)).statusCode);
      expect(statuses).toEqual([202, 202, 202, 202, 202, 429]);
    });
  });

  describe('staff administration and audit', () => {
    it('an admin creates a scoped dispatcher, disables them (sessions end at once) and it is all audited', async () => {
      const admin = await signIn(app, 'admin@taza.example');
      const cities = (await app.inject({ method: 'GET', url: '/api/v1/cities' })).json();
      const almaty = cities.features.find((f: { properties: { slug: string } }) => f.properties.slug === 'almaty').properties.id;
      const districts = (await app.inject({ method: 'GET', url: `/api/v1/districts?cityId=${almaty}` })).json();
      const medeu = districts.features.find((f: { properties: { slug: string } }) => f.properties.slug.includes('medeu')).properties.id;

      const created = await app.inject({
        method: 'POST', url: '/api/v1/admin/users', headers: admin.auth,
        payload: { email: 'night.shift@taza.example', password: 'night shift passphrase', role: 'dispatcher', cityId: almaty, districtIds: [medeu] },
      });
      expect(created.statusCode).toBe(201);
      expect(created.json()).toMatchObject({ role: 'dispatcher', cityId: almaty, districtIds: [medeu], disabled: false });
      expect(created.body).not.toMatch(/argon2|password/i);

      const wrongDistrict = await app.inject({
        method: 'POST', url: '/api/v1/admin/users', headers: admin.auth,
        payload: { email: 'x@taza.example', password: 'another passphrase', role: 'dispatcher', cityId: almaty, districtIds: [cities.features[1].id] },
      });
      expect(wrongDistrict.statusCode).toBe(400);
      expect(wrongDistrict.json().errors[0].field).toBe('districtIds');

      const night = await signIn(app, 'night.shift@taza.example', 'night shift passphrase');
      expect((await me(night.accessToken)).statusCode).toBe(200);
      const disabled = await app.inject({ method: 'PATCH', url: `/api/v1/admin/users/${created.json().id}`, headers: admin.auth, payload: { disabled: true } });
      expect(disabled.json().disabled).toBe(true);
      expect((await me(night.accessToken)).statusCode).toBe(401);
      expect((await login('night.shift@taza.example', 'night shift passphrase')).statusCode).toBe(401);

      const trail = (await app.inject({ method: 'GET', url: '/api/v1/audit', headers: admin.auth })).json();
      const actions = trail.filter((e: { objectId: string }) => e.objectId === created.json().id).map((e: { action: string }) => e.action);
      expect(actions).toEqual(['user.disabled', 'user.created']);
      const disabledEntry = trail.find((e: { action: string; objectId: string }) => e.action === 'user.disabled' && e.objectId === created.json().id);
      expect(disabledEntry).toMatchObject({ actorId: admin.user.id, actorRole: 'admin', before: { disabled: false }, after: { disabled: true } });

      // The akim of Almaty reads Almaty's trail, the akim of Astana does not see it.
      const almatyAkim = await signIn(app, 'akim.almaty@taza.example');
      const astanaAkim = await signIn(app, 'akim.astana@taza.example');
      const seenByAlmaty = (await app.inject({ method: 'GET', url: '/api/v1/audit', headers: almatyAkim.auth })).json();
      const seenByAstana = (await app.inject({ method: 'GET', url: '/api/v1/audit', headers: astanaAkim.auth })).json();
      expect(seenByAlmaty.some((e: { objectId: string }) => e.objectId === created.json().id)).toBe(true);
      expect(seenByAstana.some((e: { objectId: string }) => e.objectId === created.json().id)).toBe(false);
      expect(seenByAstana.every((e: { cityId: string | null }) => e.cityId !== almaty)).toBe(true);
    });

    it('creates the first admin of a deployment from the command line', () => {
      const out = execFileSync(process.execPath, [join(projectRoot(), 'dist', 'apps', 'api', 'src', 'cli.js'), 'admin:create', '--email', 'Chief@City.kz'], {
        env: { ...process.env, DATABASE_URL: db.url, REDIS_URL: config.REDIS_URL, NODE_ENV: 'test' },
        encoding: 'utf8',
      });
      expect(out).toMatch(/Created admin chief@city\.kz/);
      const password = /Password \(shown once\): (\S+)/.exec(out)![1];
      return signIn(app, 'chief@city.kz', password).then((s) => expect(s.user.role).toBe('admin'));
    });
  });
});
