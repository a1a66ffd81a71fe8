import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Module, type DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from '../config/app-config.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Takes a caller's X-Request-Id when it is sane, otherwise makes one. */
export function requestIdOf(req: IncomingMessage & { id?: unknown }): string {
  const header = req.headers['x-request-id'];
  const given = Array.isArray(header) ? header[0] : header;
  if (given && REQUEST_ID.test(given)) return given;
  if (typeof req.id === 'string' && req.id) return req.id;
  return randomUUID();
}

/**
 * Structured JSON logs (pino). In the API every line logged while serving a request carries its
 * request id (`reqId`), through nestjs-pino's async context.
 */
@Module({})
export class LoggingModule {
  static forRoot(service: 'api' | 'worker' | 'cli'): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRootAsync({
          inject: [AppConfig],
          useFactory: (config: AppConfig) => ({
            pinoHttp: {
              level: config.LOG_LEVEL,
              base: { service },
              // Fastify has already given the request its id (the same rule, requestIdOf); reuse it.
              genReqId: (req: IncomingMessage & { id?: unknown }) => (typeof req.id === 'string' && req.id ? req.id : requestIdOf(req)),
              customAttributeKeys: { reqId: 'reqId' },
              // Never log credentials or cookies.
              redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', 'req.headers["x-signature"]'],
              autoLogging: { ignore: (req: IncomingMessage) => req.url === '/api/health' || req.url === '/metrics' },
              quietReqLogger: false,
            },
          }),
        }),
      ],
      exports: [LoggerModule],
    };
  }
}
