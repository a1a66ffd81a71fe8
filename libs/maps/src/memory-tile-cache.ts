/** A built tile and its ETag, as the caches keep them. */
export interface CachedTile {
  bytes: Buffer;
  etag: string | null;
}

/** Per entry besides the tile bytes: key, Map slot, object headers (a rough figure, to keep the bound honest). */
const ENTRY_OVERHEAD_BYTES = 200;

/**
 * A bounded least-recently-used tile cache inside one API process, in front of Redis: a warm tile costs
 * no network round trip and no re-hash. Keys are the Redis keys (layer version included), so an entry
 * is never stale; old versions just age out. Holds copies only: losing it costs a rebuild, nothing else.
 */
export class MemoryTileCache {
  private readonly entries = new Map<string, CachedTile>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  get size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes };
  }

  get(key: string): CachedTile | undefined {
    const entry = this.entries.get(key);
    if (entry) {
      // Map keeps insertion order: re-inserting makes this the most recently used.
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    return entry;
  }

  set(key: string, entry: CachedTile): void {
    const cost = entry.bytes.length + key.length + ENTRY_OVERHEAD_BYTES;
    if (cost > this.maxBytes / 8) return; // one huge tile must not flush everything else
    const old = this.entries.get(key);
    if (old) {
      this.entries.delete(key);
      this.bytes -= old.bytes.length + key.length + ENTRY_OVERHEAD_BYTES;
    }
    this.entries.set(key, entry);
    this.bytes += cost;
    for (const [k, e] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(k);
      this.bytes -= e.bytes.length + k.length + ENTRY_OVERHEAD_BYTES;
    }
  }
}
