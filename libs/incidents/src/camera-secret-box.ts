import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Camera secrets at rest: AES-256-GCM under the key from CAMERA_KEY_ENCRYPTION_KEY. The server must
 * know the secret itself to check an HMAC, so it is encrypted (not hashed); a database dump alone does
 * not give a camera's secret away. Layout: 12-byte IV, 16-byte tag, ciphertext.
 */
export class CameraSecretBox {
  private readonly key: Buffer;

  constructor(hexKey: string) {
    this.key = Buffer.from(hexKey, 'hex');
    if (this.key.length !== 32) throw new Error('the camera key encryption key must be 32 bytes');
  }

  seal(secret: string): Buffer {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]);
  }

  /** Throws when the box was sealed under another key or was tampered with. */
  open(sealed: Buffer): string {
    const decipher = createDecipheriv('aes-256-gcm', this.key, sealed.subarray(0, 12));
    decipher.setAuthTag(sealed.subarray(12, 28));
    return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]).toString('utf8');
  }
}
