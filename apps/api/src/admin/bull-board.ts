import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter as BullBoardFastifyAdapter } from '@bull-board/fastify';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { QueueRegistry } from '../../../../libs/core/src/index.js';

export const QUEUES_DASHBOARD_PATH = '/admin/queues';

/** The BullMQ dashboard at /admin/queues (admins only once accounts exist). */
export async function mountQueuesDashboard(app: NestFastifyApplication): Promise<void> {
  const queues = app.get(QueueRegistry);
  const serverAdapter = new BullBoardFastifyAdapter();
  serverAdapter.setBasePath(QUEUES_DASHBOARD_PATH);
  createBullBoard({
    queues: queues.all().map((q) => new BullMQAdapter(q)),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Taza Map queues' } },
  });
  await app.register(serverAdapter.registerPlugin() as never, { prefix: QUEUES_DASHBOARD_PATH });
}
