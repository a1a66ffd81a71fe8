import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { Public } from '../auth/access.decorator.js';
import { RedisProbe, withTimeout } from './redis-probe.js';

@ApiTags('operations')
@Controller('api/health')
export class HealthController {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(RedisProbe) private readonly redis: RedisProbe,
  ) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'Liveness and readiness: PostgreSQL, PostGIS and Redis; 200 when all answer, else 503' })
  async health(@Res() reply: FastifyReply): Promise<void> {
    const [database, redis] = await Promise.all([this.database(), this.redis.ping()]);
    const ok = database.ok && redis.ok;
    void reply.status(ok ? 200 : 503).header('cache-control', 'no-store').send({
      status: ok ? 'ok' : 'unavailable',
      checks: { database, redis },
      time: new Date().toISOString(),
    });
  }

  private async database(): Promise<{ ok: boolean; postgres?: string; postgis?: string; error?: string }> {
    try {
      const rows: { postgres: string; postgis: string }[] = await withTimeout(
        this.dataSource.query(`SELECT current_setting('server_version') AS postgres, postgis_lib_version() AS postgis`),
        2000,
      );
      return { ok: true, postgres: rows[0].postgres, postgis: rows[0].postgis };
    } catch (err) {
      return { ok: false, error: (err as Error).message };
    }
  }
}
