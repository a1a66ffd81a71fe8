import type { NestFastifyApplication } from '@nestjs/platform-fastify';

export const DEMO_PASSWORD = 'taza-demo-2026';

export interface SignedIn {
  accessToken: string;
  refreshCookie: string | null;
  user: { id: string; role: string; cityId: string | null; email: string | null };
  auth: { authorization: string };
}

/** Signs in through the real endpoint and returns what a client would keep. */
export async function signIn(app: NestFastifyApplication, login: string, password = DEMO_PASSWORD, remoteAddress = '127.0.0.1'): Promise<SignedIn> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login, password }, remoteAddress });
  if (res.statusCode !== 200) throw new Error(`sign-in as ${login} failed: ${res.statusCode} ${res.body}`);
  const body = res.json();
  const cookie = res.cookies.find((c) => c.name === 'taza_refresh');
  return { accessToken: body.accessToken, refreshCookie: cookie?.value ?? null, user: body.user, auth: { authorization: `Bearer ${body.accessToken}` } };
}
