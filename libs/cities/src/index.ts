export * from './cities.module.js';
export * from './cities.service.js';
export * from './cities.repository.js';
export * from './demo/demo-cities.js';
