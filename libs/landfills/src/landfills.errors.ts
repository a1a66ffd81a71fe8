import { DomainError, type FieldProblem } from '../../core/src/index.js';

export class LandfillsError extends DomainError {}

export const LandfillsErrors = {
  notFound: (what: 'landfill' | 'alert' | 'weighbridge' | 'city' = 'landfill') =>
    new LandfillsError('not_found', 'landfills.not_found', `No ${what} with this id is visible to you.`, [{ field: 'id', message: `no ${what} with this id is visible to you` }]),
  field: (field: string, message: string) => new LandfillsError('invalid', 'landfills.invalid', `${field}: ${message}.`, [{ field, message }]),
  fields: (problems: FieldProblem[], what = 'The request') =>
    new LandfillsError(
      'invalid',
      'landfills.invalid',
      problems.length === 1 ? `${what}: ${problems[0].message}.` : `${what}: ${problems.length} problems; nothing was stored.`,
      problems,
    ),
  apiKey: () => new LandfillsError('unauthorized', 'landfills.api_key', 'A valid weighbridge key is required in X-Api-Key.', [{ field: 'X-Api-Key', message: 'missing, unknown or revoked key' }]),
  conflict: (field: string, message: string) => new LandfillsError('conflict', 'landfills.conflict', `${field}: ${message}.`, [{ field, message }]),
  acknowledged: () => new LandfillsError('conflict', 'landfills.already_acknowledged', 'This alert was acknowledged already.', [{ field: 'id', message: 'already acknowledged' }]),
};
