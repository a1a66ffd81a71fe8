import { DomainError } from '../../core/src/index.js';

export class DispatchError extends DomainError {}

export const DispatchErrors = {
  notFound: (what: 'crew' | 'work order' | 'user' | 'report' | 'hotspot') =>
    new DispatchError('not_found', 'dispatch.not_found', `No ${what} with this id is visible to you.`),
  field: (field: string, message: string) => new DispatchError('invalid', 'dispatch.invalid', `${field}: ${message}.`, [{ field, message }]),
  transition: (status: string, action: string, allowed: string[]) =>
    new DispatchError('conflict', 'dispatch.illegal_transition', `A work order that is ${status.replace('_', ' ')} cannot be ${action}; ${allowed.length ? `allowed now: ${allowed.join(', ')}` : 'nothing can be done with it now'}.`, [
      { field: 'action', message: allowed.length ? `allowed now: ${allowed.join(', ')}` : 'no action is allowed now' },
    ]),
  busy: (reportId: string, workOrderId: string) =>
    new DispatchError('conflict', 'dispatch.report_taken', `Report ${reportId} is already in work order ${workOrderId}.`, [
      { field: 'reportIds', message: `report ${reportId} is already in open work order ${workOrderId}` },
    ]),
};
