import { ArgumentsHost, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../../../../libs/core/src/index.js';
import { renderOpen311Errors } from '../../../../libs/open311/src/index.js';
import { KIND_STATUS as PROBLEM_STATUS, ValidationFailed } from '../common/problem-details.filter.js';

// The spec knows no 422: unprocessable input is a 400 there.
const KIND_STATUS: Record<DomainError['kind'], number> = { ...PROBLEM_STATUS, unprocessable: 400 };

/**
 * Errors on /open311 follow the Open311 spec, not problem details: `[{code, description}]` as JSON, or
 * `<errors><error>...` when the path asked for .xml.
 */
@Catch()
export class Open311ExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(Open311ExceptionFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const format = /\.xml$/i.test(request.url.split('?')[0]) ? 'xml' : 'json';
    let status = 500;
    let message = 'Something went wrong on our side; it has been logged.';
    let problems: { field: string; message: string }[] = [];
    if (exception instanceof DomainError) {
      status = KIND_STATUS[exception.kind];
      message = exception.message;
      problems = exception.errors;
      for (const [name, value] of Object.entries(exception.headers)) void reply.header(name, value);
    } else if (exception instanceof ValidationFailed) {
      status = 400;
      problems = exception.problems;
    } else if (exception instanceof HttpException) {
      status = exception.getStatus();
      message = status === 404 ? 'Nothing is found here.' : exception.message;
    } else if (typeof (exception as { statusCode?: unknown })?.statusCode === 'number' && (exception as { statusCode: number }).statusCode < 500) {
      status = (exception as { statusCode: number }).statusCode;
      message = (exception as Error).message;
    }
    if (status >= 500) {
      this.logger.error({ msg: 'unhandled error', err: exception instanceof Error ? { message: exception.message, stack: exception.stack } : String(exception) });
    }
    const rendered = renderOpen311Errors(format, status, message, problems);
    void reply.status(status).header('content-type', rendered.contentType).header('cache-control', 'no-store').send(rendered.body);
  }
}
