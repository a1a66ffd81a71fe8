import { allowedActions, applyRating, nextStatus, ratingWindowOver, TransitionRefused } from './report-lifecycle.js';

describe('report lifecycle', () => {
  it('walks submitted -> registered -> in_progress -> resolved', () => {
    expect(nextStatus('submitted', 'register')).toBe('registered');
    expect(nextStatus('registered', 'start')).toBe('in_progress');
    expect(nextStatus('in_progress', 'resolve')).toBe('resolved');
  });

  it('refuses illegal moves and names what is allowed', () => {
    expect(() => nextStatus('submitted', 'resolve')).toThrow(TransitionRefused);
    expect(() => nextStatus('submitted', 'resolve')).toThrow('A report that is submitted cannot be resolved; allowed now: register, reject, mark_duplicate.');
    expect(() => nextStatus('closed', 'register')).toThrow(/nothing can be done with it now/);
    expect(allowedActions('in_progress')).toEqual(['resolve']);
    expect(allowedActions('rejected')).toEqual([]);
  });

  it('rejects and marks duplicates only before work starts', () => {
    expect(nextStatus('registered', 'reject')).toBe('rejected');
    expect(nextStatus('submitted', 'mark_duplicate')).toBe('duplicate');
    expect(() => nextStatus('in_progress', 'reject')).toThrow(TransitionRefused);
  });

  const now = new Date('2026-11-23T12:00:00Z');
  const resolved = { status: 'resolved' as const, resolvedAt: new Date('2026-11-20T12:00:00Z'), reopenCount: 0 };

  it('closes on a rating of 3 or more, returns below 3, escalates on the third return', () => {
    expect(applyRating(resolved, 3, now)).toEqual({ status: 'closed', reopened: false, escalate: false });
    expect(applyRating(resolved, 5, now).status).toBe('closed');
    expect(applyRating(resolved, 2, now)).toEqual({ status: 'registered', reopened: true, escalate: false });
    expect(applyRating({ ...resolved, reopenCount: 1 }, 1, now).escalate).toBe(false);
    expect(applyRating({ ...resolved, reopenCount: 2 }, 1, now).escalate).toBe(true);
  });

  it('takes ratings only for resolved reports and within 14 days', () => {
    expect(() => applyRating({ ...resolved, status: 'in_progress' }, 4, now)).toThrow(TransitionRefused);
    expect(() => applyRating({ ...resolved, resolvedAt: new Date('2026-11-01T00:00:00Z') }, 4, now)).toThrow(TransitionRefused);
    expect(() => applyRating(resolved, 6, now)).toThrow(RangeError);
    expect(ratingWindowOver(new Date('2026-11-08T11:59:00Z'), now)).toBe(true);
    expect(ratingWindowOver(new Date('2026-11-10T00:00:00Z'), now)).toBe(false);
  });
});
