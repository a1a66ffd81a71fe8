import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, unlink } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';

/** Where processed media lives. Keys are relative, e.g. `reports/<uuid>/<uuid>.jpg` (see assertMediaKey). */
export interface MediaStorage {
  put(key: string, data: Buffer, contentType: string): Promise<void>;
  get(key: string): Promise<{ data: Buffer; contentType: string } | null>;
  delete(key: string): Promise<void>;
}

/**
 * A key is `/`-separated segments of [a-z0-9_.-], each beginning with [a-z0-9_-] (so no `.`/`..` segments, no hidden
 * files), ending in a known extension; no leading `/`, no empty segment, no `..` anywhere; at most 512 characters.
 */
export const MEDIA_KEY_PATTERN = /^(?!.*\.\.)[a-z0-9_-][a-z0-9_.-]*(?:\/[a-z0-9_-][a-z0-9_.-]*)*\.[a-z0-9]+$/;

/** Content type by extension: LocalMediaStorage derives it from the key rather than storing it. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  avif: 'image/avif',
  mp4: 'video/mp4',
};

/** The content type a key's extension stands for; throws for an invalid key or an unknown extension. */
export function contentTypeOfKey(key: string): string {
  assertMediaKey(key);
  const type = CONTENT_TYPES[key.slice(key.lastIndexOf('.') + 1)];
  if (!type) throw new Error(`Media key ${JSON.stringify(key)} has an extension this storage does not know.`);
  return type;
}

/** Throws unless `key` is a valid media key (a programming error, not a client's). */
export function assertMediaKey(key: string): void {
  if (typeof key !== 'string' || key.length > 512 || !MEDIA_KEY_PATTERN.test(key)) {
    throw new Error(`Invalid media key ${JSON.stringify(key)}.`);
  }
}

/**
 * MediaStorage on the local file system under `rootDir`. Writes are atomic (a temporary file in the same directory,
 * then a rename), so a reader sees the old object, the new one, or none, never a partial one. The content type is
 * derived from the key's extension; `put` refuses a content type that does not match it.
 */
export class LocalMediaStorage implements MediaStorage {
  private readonly root: string;

  constructor(rootDir: string) {
    this.root = resolve(rootDir);
  }

  async put(key: string, data: Buffer, contentType: string): Promise<void> {
    const expected = contentTypeOfKey(key);
    const given = contentType.split(';')[0].trim().toLowerCase();
    if (given !== expected) {
      throw new Error(`Media key ${JSON.stringify(key)} holds ${expected}, not ${JSON.stringify(contentType)}.`);
    }
    const path = this.pathOf(key);
    const dir = dirname(path);
    await mkdir(dir, { recursive: true });
    // Begins with a dot, which no valid key segment may, so it can never be mistaken for (or collide with) an object.
    const temporary = join(dir, `.${randomUUID()}.tmp`);
    try {
      const file = await open(temporary, 'wx', 0o644);
      try {
        await file.writeFile(data);
        await file.sync();
      } finally {
        await file.close();
      }
      await rename(temporary, path);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }

  async get(key: string): Promise<{ data: Buffer; contentType: string } | null> {
    const contentType = contentTypeOfKey(key);
    try {
      return { data: await readFile(this.pathOf(key)), contentType };
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    assertMediaKey(key);
    try {
      await unlink(this.pathOf(key));
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
  }

  private pathOf(key: string): string {
    assertMediaKey(key);
    const path = resolve(this.root, ...key.split('/'));
    if (!path.startsWith(this.root + sep)) throw new Error(`Invalid media key ${JSON.stringify(key)}.`); // belt and braces
    return path;
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR';
}
