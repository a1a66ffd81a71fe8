/** What kind of failure a domain error is; the HTTP edge turns each kind into a status. */
export type ErrorKind =
  | 'invalid'
  | 'not_found'
  | 'conflict'
  | 'forbidden'
  | 'unauthorized'
  | 'too_large'
  | 'unsupported_type'
  | 'unprocessable'
  | 'too_many'
  | 'unavailable';

export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * Base of every domain's error type. `code` is stable for clients (e.g. `reports.outside_service_area`);
 * `message` is a sentence a person can read; `errors` names the fields at fault.
 */
export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly errors: FieldProblem[] = [],
    /** Extra response headers the edge should send (e.g. Retry-After). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class TooManyRequestsError extends DomainError {
  constructor(code: string, message: string, retryAfterSeconds: number) {
    super('too_many', code, message, [], { 'retry-after': String(retryAfterSeconds) });
  }
}
