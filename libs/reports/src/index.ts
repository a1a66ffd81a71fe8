export * from './report-lifecycle.js';
export * from './report-views.js';
export * from './reports.errors.js';
export * from './reports.module.js';
export * from './reports.repository.js';
export * from './reports.service.js';
