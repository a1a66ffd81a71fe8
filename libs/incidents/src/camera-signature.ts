import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** How far X-Timestamp may be from the server clock, either way (DESIGN.md). */
export const SIGNATURE_MAX_SKEW_SECONDS = 300;
/** How long a nonce is remembered per key (DESIGN.md). */
export const NONCE_TTL_SECONDS = 600;
export const NONCE_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;
export const KEY_ID_PATTERN = /^[A-Za-z0-9_-]{4,64}$/;

export interface SignedParts {
  method: string;
  /** The request path with its query string, exactly as sent. */
  path: string;
  timestamp: string;
  nonce: string;
  body: Buffer;
}

/** The string a camera signs: METHOD, PATH, TIMESTAMP, NONCE and hex(SHA-256(body)), joined by newlines. */
export function canonicalRequest(p: SignedParts): string {
  const bodyHash = createHash('sha256').update(p.body).digest('hex');
  return `${p.method.toUpperCase()}\n${p.path}\n${p.timestamp}\n${p.nonce}\n${bodyHash}`;
}

/** hex(HMAC-SHA256(secret, canonical request)); the secret is used as its UTF-8 bytes. */
export function signatureOf(secret: string, p: SignedParts): string {
  return createHmac('sha256', secret).update(canonicalRequest(p)).digest('hex');
}

/** Constant-time comparison of a received hex signature with the expected one. */
export function signatureMatches(secret: string, p: SignedParts, received: string): boolean {
  if (!/^[0-9a-fA-F]{64}$/.test(received)) return false;
  const expected = Buffer.from(signatureOf(secret, p), 'hex');
  return timingSafeEqual(expected, Buffer.from(received, 'hex'));
}

/** Is the camera's clock within the allowed skew of ours? `timestamp` must already be whole seconds. */
export function timestampFresh(timestamp: number, nowMs = Date.now()): boolean {
  return Math.abs(nowMs / 1000 - timestamp) <= SIGNATURE_MAX_SKEW_SECONDS;
}
