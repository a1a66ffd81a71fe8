export * from './hotspot-rules.js';
export * from './hotspots.errors.js';
export * from './hotspots.module.js';
export * from './hotspots.repository.js';
export * from './hotspots.service.js';
export * from './hotspots-demo.js';
