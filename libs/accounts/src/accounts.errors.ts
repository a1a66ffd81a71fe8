import { DomainError } from '../../core/src/index.js';

/** Errors of the accounts domain; codes are stable for clients. */
export class AccountsError extends DomainError {}

export const AccountsErrors = {
  badCredentials: () => new AccountsError('unauthorized', 'accounts.bad_credentials', 'The login or the password is wrong.'),
  sessionEnded: () => new AccountsError('unauthorized', 'accounts.session_ended', 'Your session has ended; please sign in again.'),
  notSignedIn: () => new AccountsError('unauthorized', 'accounts.not_signed_in', 'Please sign in first.'),
  forbidden: () => new AccountsError('forbidden', 'accounts.forbidden', 'Your account may not do this.'),
  weakPassword: (field: string, message: string) =>
    new AccountsError('invalid', 'accounts.weak_password', `${field}: ${message}`, [{ field, message }]),
  badLogin: (field: string, message: string) => new AccountsError('invalid', 'accounts.bad_login', `${field}: ${message}`, [{ field, message }]),
  taken: (field: 'email' | 'phone') =>
    new AccountsError('conflict', 'accounts.taken', `An account with this ${field} already exists.`, [
      { field, message: `an account with this ${field} already exists` },
    ]),
  notFound: (what = 'account') => new AccountsError('not_found', 'accounts.not_found', `No such ${what}.`),
  invalidScope: (field: string, message: string) => new AccountsError('invalid', 'accounts.invalid_scope', `${field}: ${message}`, [{ field, message }]),
};
