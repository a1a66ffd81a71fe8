export * from './ogc-collections.js';
export * from './ogc-params.js';
export * from './ogc.errors.js';
export * from './ogc.module.js';
export * from './ogc.repository.js';
export * from './ogc.service.js';
