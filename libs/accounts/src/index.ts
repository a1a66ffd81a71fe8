export * from './accounts.errors.js';
export * from './accounts.module.js';
export * from './accounts.service.js';
export * from './login-identifier.js';
export * from './password-policy.js';
export * from './principal.js';
export * from './audit.module.js';
export * from './audit.repository.js';
