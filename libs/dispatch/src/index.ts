export * from './crews.repository.js';
export * from './dispatch.errors.js';
export * from './dispatch.module.js';
export * from './dispatch.service.js';
export * from './route-planner.js';
export * from './work-order-rules.js';
export * from './work-orders.repository.js';
