import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ArgumentsHost, Catch, HttpException, HttpStatus, Logger, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, type ErrorKind, type FieldProblem } from '../../../../libs/core/src/index.js';

/** The HTTP status of each kind of domain error (Open311 maps 422 to 400, as its spec knows no 422). */
export const KIND_STATUS: Record<ErrorKind, number> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unsupported_type: 415,
  unprocessable: 422,
  too_many: 429,
  unavailable: 503,
};

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  429: 'Too many requests',
  500: 'Internal server error',
  503: 'Service unavailable',
};

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code?: string;
  errors?: FieldProblem[];
}

/** Thrown by the validation pipe: carries the per-field problems. */
export class ValidationFailed extends HttpException {
  constructor(readonly problems: FieldProblem[]) {
    super({ message: 'The request has invalid fields.' }, HttpStatus.BAD_REQUEST);
  }
}

/** Paths that belong to the server; anything else that is a GET for a page gets the web app. */
const SERVER_PREFIXES = ['/api', '/open311', '/ogc', '/tiles', '/metrics', '/admin'];

/**
 * Every error leaves as RFC 9457 problem details: a sentence a person can read, the field at fault,
 * never a stack trace. Unknown paths that a browser asks for as a page fall through to the SPA.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger(ProblemDetailsFilter.name);

  constructor(private readonly webDistDir: string | null) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const reply = ctx.getResponse<FastifyReply>();
    const request = ctx.getRequest<FastifyRequest>();
    const problem = this.toProblem(exception, request);

    if (problem.status === 404 && this.servesSpa(request)) {
      void reply.type('text/html; charset=utf-8').sendFile('index.html', this.webDistDir as string);
      return;
    }
    if (problem.status >= 500) {
      this.logger.error({ msg: 'unhandled error', err: exception instanceof Error ? { message: exception.message, stack: exception.stack } : String(exception) });
    }
    if (exception instanceof DomainError) for (const [name, value] of Object.entries(exception.headers)) void reply.header(name, value);
    void reply.status(problem.status).header('content-type', 'application/problem+json; charset=utf-8').send(JSON.stringify(problem));
  }

  private servesSpa(request: FastifyRequest): boolean {
    if (!this.webDistDir || request.method !== 'GET') return false;
    const path = request.url.split('?')[0];
    if (SERVER_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`))) return false;
    if (!String(request.headers.accept ?? '').includes('text/html')) return false;
    return existsSync(join(this.webDistDir, 'index.html'));
  }

  private toProblem(exception: unknown, request: FastifyRequest): ProblemDetails {
    const instance = request.url.split('?')[0];
    if (exception instanceof ValidationFailed) {
      return {
        type: 'https://taza.example/problems/validation',
        title: 'Invalid request',
        status: 400,
        detail: describeFields(exception.problems),
        instance,
        code: 'validation_failed',
        errors: exception.problems,
      };
    }
    if (exception instanceof DomainError) {
      const status = KIND_STATUS[exception.kind];
      return {
        type: `https://taza.example/problems/${exception.code.replace(/[^a-z0-9_.-]/gi, '-')}`,
        title: TITLES[status] ?? 'Error',
        status,
        detail: exception.message,
        instance,
        code: exception.code,
        ...(exception.errors.length ? { errors: exception.errors } : {}),
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      const message = typeof body === 'string' ? body : (body as { message?: unknown }).message;
      const detail = Array.isArray(message) ? message.join('; ') : typeof message === 'string' ? message : exception.message;
      return { type: 'about:blank', title: TITLES[status] ?? 'Error', status, detail: status === 404 ? `Nothing is found at ${instance}.` : detail, instance };
    }
    const status = (exception as { statusCode?: number })?.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      // Fastify's own errors (bad JSON, body too large, unsupported media type).
      return { type: 'about:blank', title: TITLES[status] ?? 'Error', status, detail: (exception as Error).message, instance };
    }
    return { type: 'about:blank', title: TITLES[500], status: 500, detail: 'Something went wrong on our side; it has been logged.', instance };
  }
}

function describeFields(problems: FieldProblem[]): string {
  if (problems.length === 1) return `${problems[0].field}: ${problems[0].message}.`;
  return `${problems.length} fields are invalid: ${problems.map((p) => p.field).join(', ')}.`;
}
