/** Largest photo upload accepted, in bytes (10 MiB). */
export const PHOTO_MAX_BYTES = 10 * 1024 * 1024;
/** Largest video upload accepted, in bytes (50 MiB). */
export const VIDEO_MAX_BYTES = 50 * 1024 * 1024;
/** Most pixels (width x height, from the header) a photo may declare before we refuse to decode it. */
export const MAX_PIXELS = 40_000_000;
/** Longest side of a stored photo, in pixels. */
export const MAX_SIDE = 2048;
/** Longest side of a photo's thumbnail, in pixels. */
export const THUMB_SIDE = 400;
/** Longest video accepted, in seconds. */
export const VIDEO_MAX_SECONDS = 60;
