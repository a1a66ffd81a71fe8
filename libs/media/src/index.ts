export * from './media.errors.js';
export * from './media-limits.js';
export * from './media-sniffer.js';
export * from './photo-processor.js';
export * from './video-processor.js';
export * from './media-storage.js';
