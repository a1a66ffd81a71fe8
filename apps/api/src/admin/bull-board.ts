import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter as BullBoardFastifyAdapter } from '@bull-board/fastify';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AccountsService } from '../../../../libs/accounts/src/index.js';
import { QueueRegistry } from '../../../../libs/core/src/index.js';
import { bearerToken } from '../auth/auth.guard.js';
import { ADMIN_COOKIE, cookie } from '../auth/session-cookies.js';

export const QUEUES_DASHBOARD_PATH = '/admin/queues';

function problem(reply: FastifyReply, status: 401 | 403, detail: string, instance: string) {
  return reply
    .status(status)
    .header('content-type', 'application/problem+json; charset=utf-8')
    .send(JSON.stringify({ type: 'about:blank', title: status === 401 ? 'Unauthorized' : 'Forbidden', status, detail, instance }));
}

/**
 * The BullMQ dashboard at /admin/queues, for admins only: a Bearer token, or the admin cookie the
 * sign-in sets for admins (so the page opens in a browser tab).
 */
export async function mountQueuesDashboard(app: NestFastifyApplication): Promise<void> {
  const queues = app.get(QueueRegistry);
  const accounts = app.get(AccountsService);
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0];
    if (path !== QUEUES_DASHBOARD_PATH && !path.startsWith(`${QUEUES_DASHBOARD_PATH}/`)) return;
    const token = bearerToken(request.headers.authorization) ?? cookie(request, ADMIN_COOKIE);
    const principal = token ? await accounts.authenticate(token) : null;
    if (!principal) return problem(reply, 401, 'Sign in as an admin to see the queues.', path);
    if (principal.role !== 'admin') return problem(reply, 403, 'Only admins may see the queues.', path);
  });

  const serverAdapter = new BullBoardFastifyAdapter();
  serverAdapter.setBasePath(QUEUES_DASHBOARD_PATH);
  createBullBoard({
    queues: queues.all().map((q) => new BullMQAdapter(q)),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Taza Map queues' } },
  });
  await app.register(serverAdapter.registerPlugin() as never, { prefix: QUEUES_DASHBOARD_PATH });
}
