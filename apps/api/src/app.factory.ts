import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import fastifyCookie from '@fastify/cookie';
import fastifyMultipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import { Logger } from 'nestjs-pino';
import { AppConfig, projectRoot, requestIdOf } from '../../../libs/core/src/index.js';
import { mountQueuesDashboard } from './admin/bull-board.js';
import { ApiModule } from './app.module.js';
import { CAMERA_SIGNED_ROUTE, type AuthedRequest } from './auth/access.decorator.js';
import { ProblemDetailsFilter } from './common/problem-details.filter.js';
import { createValidationPipe } from './common/validation.pipe.js';
import { MetricsService } from './metrics/metrics.service.js';

/** A signed camera request carries at most a snapshot and a clip (docs/cameras.md). */
const CAMERA_BODY_LIMIT = 32 * 1024 * 1024;

export interface RegisteredRoute {
  method: string;
  url: string;
}

/** Every route an app registered (for the access-matrix test: a route nobody listed fails it). */
export const registeredRoutes = new WeakMap<NestFastifyApplication, RegisteredRoute[]>();

export function webDistDir(config: AppConfig): string {
  return config.WEB_DIST_DIR ?? join(projectRoot(), 'dist', 'web');
}

/** Builds the whole HTTP app (not yet listening): used by main.ts and by the integration tests. */
export async function createApiApp(config: AppConfig): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    trustProxy: config.TRUST_PROXY,
    bodyLimit: 1024 * 1024,
    genReqId: (req: IncomingMessage) => requestIdOf(req),
    // Our own access log (pino-http via nestjs-pino) carries the request id; Fastify's would double it.
    logger: false,
  });
  const app = await NestFactory.create<NestFastifyApplication>(ApiModule.forRoot(config), adapter, {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));

  const webDir = webDistDir(config);
  const hasWeb = existsSync(join(webDir, 'index.html'));
  app.useGlobalFilters(new ProblemDetailsFilter(hasWeb ? webDir : null));
  app.useGlobalPipes(createValidationPipe());

  const metrics = app.get(MetricsService);
  const fastify = app.getHttpAdapter().getInstance();
  const routes: RegisteredRoute[] = [];
  fastify.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) if (method !== 'HEAD') routes.push({ method, url: route.url });
  });
  registeredRoutes.set(app, routes);
  await app.register(fastifyCookie as never);
  // Limits are applied per request by readMultipart; files are read into memory, never to disk.
  await app.register(fastifyMultipart as never, { throwFileSizeLimit: true });
  // Camera signatures cover the exact body bytes, which parsers do not keep: for camera-signed routes
  // (and only those) the body is read here, kept on the request and handed on to the parser.
  fastify.addHook('preParsing', async (request, _reply, payload) => {
    if (!(request.routeOptions?.config as unknown as Record<string, unknown> | undefined)?.[CAMERA_SIGNED_ROUTE]) return payload;
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of payload) {
      size += (chunk as Buffer).length;
      if (size > CAMERA_BODY_LIMIT) throw Object.assign(new Error('Request body is too large'), { statusCode: 413, code: 'FST_ERR_CTP_BODY_TOO_LARGE' });
      chunks.push(chunk as Buffer);
    }
    const raw = Buffer.concat(chunks);
    (request as AuthedRequest).rawBody = raw;
    const replay = Readable.from(raw.length ? [raw] : []);
    (replay as Readable & { receivedEncodedLength?: number }).receivedEncodedLength = raw.length;
    return replay;
  });
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    done();
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    metrics.observe(request.method, request.routeOptions?.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
    done();
  });

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Taza Map API')
      .setDescription('Illegal-dump reports, hotspots, landfills and dispatch for Kazakh cities. Errors are RFC 9457 problem details.')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });

  await mountQueuesDashboard(app);

  if (hasWeb) {
    await app.register(fastifyStatic as never, {
      root: webDir,
      prefix: '/',
      wildcard: false,
      index: ['index.html'],
      // Hashed assets never change; index.html must be re-checked so a deploy shows at once.
      cacheControl: false,
      setHeaders: (reply: { header(k: string, v: string): unknown }, path: string) => {
        reply.header('cache-control', path.includes(join('assets', '')) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  }

  await app.init();
  return app;
}
