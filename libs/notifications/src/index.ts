export * from './mailer.js';
export * from './notifications.module.js';
export * from './notifications.repository.js';
export * from './notifications.service.js';
export * from './report-emails.js';
