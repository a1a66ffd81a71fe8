export * from './test-database.js';
export * from './test-config.js';
export * from './redis-server.js';
export * from './wait.js';
export * from './queues.js';
export * from './browser.js';
export * from './http.js';
export * from './media-fixtures.js';
