import { MemoryTileCache } from './memory-tile-cache.js';

const tile = (n: number) => ({ bytes: Buffer.alloc(n), etag: `"${n}"` });

describe('in-process tile cache', () => {
  it('keeps the most recently used tiles within its byte budget', () => {
    const cache = new MemoryTileCache(10_000);
    cache.set('a', tile(1000));
    cache.set('b', tile(1000));
    cache.set('c', tile(1000));
    expect(cache.get('a')?.etag).toBe('"1000"'); // a is now the most recent: b goes first
    for (const k of ['d', 'e', 'f', 'g', 'h', 'i']) cache.set(k, tile(1000));
    expect(cache.size.bytes).toBeLessThanOrEqual(10_000);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBeDefined();
    expect(cache.get('i')).toBeDefined();
    expect(cache.get('c')).toBeDefined();
  });

  it('replaces an entry without counting it twice, and refuses a tile over an eighth of the budget', () => {
    const cache = new MemoryTileCache(80_000);
    cache.set('a', tile(5000));
    cache.set('a', tile(6000));
    expect(cache.size.entries).toBe(1);
    expect(cache.size.bytes).toBeLessThan(6500);
    cache.set('huge', tile(20_000));
    expect(cache.get('huge')).toBeUndefined();
    expect(cache.get('a')?.bytes.length).toBe(6000);
  });
});
