import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

export interface CameraKey {
  keyId: string;
  secret: string;
}

export interface SignOptions {
  /** Unix seconds; now by default. */
  timestamp?: number;
  nonce?: string;
}

/**
 * The DESIGN.md signing headers, written from the documented protocol with Node's crypto (not the
 * server's verifier), so a test signs the way a camera vendor would.
 */
export function cameraHeaders(key: CameraKey, method: string, path: string, body: Buffer, options: SignOptions = {}): Record<string, string> {
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const nonce = options.nonce ?? randomBytes(16).toString('hex');
  const bodyHash = createHash('sha256').update(body).digest('hex');
  const signature = createHmac('sha256', Buffer.from(key.secret, 'utf8')).update([method.toUpperCase(), path, timestamp, nonce, bodyHash].join('\n')).digest('hex');
  return { 'x-camera-key': key.keyId, 'x-timestamp': timestamp, 'x-nonce': nonce, 'x-signature': signature };
}

export interface CameraRequest extends SignOptions {
  method?: 'POST' | 'GET';
  url: string;
  /** An object is sent as JSON; a Buffer as is (give its content type). Nothing: an empty body. */
  payload?: unknown;
  contentType?: string;
  /** Changes the body after signing (to prove a flipped byte is caught). */
  tamper?: (body: Buffer) => Buffer;
}

/** Sends a signed camera request through the app; returns the inject response. */
export function cameraRequest(app: NestFastifyApplication, key: CameraKey, req: CameraRequest) {
  const method = req.method ?? 'POST';
  const body = req.payload === undefined ? Buffer.alloc(0) : Buffer.isBuffer(req.payload) ? req.payload : Buffer.from(JSON.stringify(req.payload));
  const headers = cameraHeaders(key, method, req.url, body, req);
  const contentType = req.contentType ?? (req.payload !== undefined && !Buffer.isBuffer(req.payload) ? 'application/json' : undefined);
  if (contentType) headers['content-type'] = contentType;
  return app.inject({ method, url: req.url, headers, payload: req.tamper ? req.tamper(body) : body });
}
