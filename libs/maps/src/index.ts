export * from './maps.module.js';
export * from './maps.errors.js';
export * from './tile-math.js';
export * from './tile-filters.js';
export * from './tile-layers.js';
export * from './tile-cache.js';
export * from './tiles.repository.js';
export * from './tiles.service.js';
