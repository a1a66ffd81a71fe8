import { DomainError, type FieldProblem } from '../../core/src/index.js';

/** Open311 failures. The Open311 edge writes them as the spec's `[{code, description}]` errors. */
export class Open311Error extends DomainError {}

export const Open311Errors = {
  apiKey: () =>
    new Open311Error('forbidden', 'open311.api_key', 'api_key: missing, unknown or revoked; ask the administrators for a key.', [
      { field: 'api_key', message: 'missing, unknown or revoked; ask the administrators for a key' },
    ]),
  invalid: (problems: FieldProblem[]) =>
    new Open311Error('invalid', 'open311.invalid', problems.map((p) => `${p.field}: ${p.message}`).join('; '), problems),
  field: (field: string, message: string) => Open311Errors.invalid([{ field, message }]),
  requestNotFound: () => new Open311Error('not_found', 'open311.request_not_found', 'No service request has this id.'),
  serviceNotFound: () => new Open311Error('not_found', 'open311.service_not_found', 'No service has this service_code.'),
  tokenNotFound: () => new Open311Error('not_found', 'open311.token_not_found', 'No service request has this token.'),
  jurisdictionNotFound: () => new Open311Error('not_found', 'open311.jurisdiction_not_found', 'jurisdiction_id: not a jurisdiction served here.'),
  formatNotFound: () => new Open311Error('not_found', 'open311.format_not_found', 'Only .json and .xml are served.'),
  clientNotFound: () => new Open311Error('not_found', 'open311.client_not_found', 'No Open311 client has this id.'),
};
