import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertMediaKey, contentTypeOfKey, LocalMediaStorage } from './media-storage.js';

async function withStorage(run: (storage: LocalMediaStorage, root: string) => Promise<void>) {
  const root = await mkdtemp(join(tmpdir(), 'taza-media-'));
  try {
    await run(new LocalMediaStorage(root), root);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

describe('LocalMediaStorage', () => {
  it('puts, gets and deletes objects, creating directories as needed', () =>
    withStorage(async (storage, root) => {
      const key = `reports/${randomUUID()}/${randomUUID()}.jpg`;
      await storage.put(key, Buffer.from('jpeg bytes'), 'image/jpeg');
      expect(await storage.get(key)).toEqual({ data: Buffer.from('jpeg bytes'), contentType: 'image/jpeg' });

      await storage.put(key, Buffer.from('replaced'), 'image/jpeg');
      expect((await storage.get(key))!.data.toString()).toBe('replaced');
      // nothing but the object is left in its directory (no temporary files)
      expect(await readdir(join(root, ...key.split('/').slice(0, -1)))).toEqual([key.split('/').at(-1)]);

      const video = `reports/${randomUUID()}/${randomUUID()}.mp4`;
      await storage.put(video, Buffer.from('mp4'), 'video/mp4');
      expect((await storage.get(video))!.contentType).toBe('video/mp4');

      await storage.delete(key);
      expect(await storage.get(key)).toBeNull();
      await storage.delete(key); // deleting a missing object is fine
      await storage.delete(`reports/${randomUUID()}/missing.jpg`);
      expect(await storage.get(`reports/${randomUUID()}/missing.jpg`)).toBeNull();
    }));

  it.each([
    '../etc/passwd.jpg',
    'reports/../../x.jpg',
    'reports/..jpg',
    '/etc/x.jpg',
    'reports//x.jpg',
    'reports/x.jpg/',
    'Reports/X.JPG',
    'reports/a b.jpg',
    'reports\\x.jpg',
    'reports/.hidden.jpg',
    'reports/./x.jpg',
    'reports/x',
    'reports/x.jpg\0.png',
    '',
  ])('refuses the key %j', (key) =>
    withStorage(async (storage) => {
      expect(() => assertMediaKey(key)).toThrow();
      await expect(storage.put(key, Buffer.from('x'), 'image/jpeg')).rejects.toThrow(/media key/i);
      await expect(storage.get(key)).rejects.toThrow(/media key/i);
      await expect(storage.delete(key)).rejects.toThrow(/media key/i);
    }),
  );

  it('knows content types by extension and refuses a mismatch', () =>
    withStorage(async (storage) => {
      expect(contentTypeOfKey('reports/a/b.jpg')).toBe('image/jpeg');
      expect(contentTypeOfKey('reports/a/b_thumb.jpg')).toBe('image/jpeg');
      expect(contentTypeOfKey('reports/a/b.mp4')).toBe('video/mp4');
      expect(() => contentTypeOfKey('reports/a/b.exe')).toThrow();
      await expect(storage.put('reports/a/b.jpg', Buffer.from('x'), 'video/mp4')).rejects.toThrow(/image\/jpeg/);
      await storage.put('reports/a/b.jpg', Buffer.from('x'), 'image/jpeg; charset=binary');
    }));
});
