import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { MapsErrors } from './maps.errors.js';
import { AppConfig } from '../../core/src/index.js';
import { MemoryTileCache, type CachedTile } from './memory-tile-cache.js';
import { TileCache } from './tile-cache.js';
import { filtersQueryString, parseTileFilters } from './tile-filters.js';
import { ALL_CITIES, MAP_REPORT_STATUSES, TILE_LAYERS, type TileLayer, type TileScope } from './tile-layers.js';
import { parseTileCoord } from './tile-math.js';
import { TilesRepository } from './tiles.repository.js';

export interface TilesOptions {
  /** Keep built tiles in Redis (shared by all API processes). */
  cache: boolean;
  cacheTtlSeconds: number;
  /** Budget of this process's in-memory tile cache in front of Redis; 0 = none. */
  memoryBytes: number;
}

/** TILE_CACHE_TTL_SECONDS and TILE_CACHE_MEMORY_MB (0 turns either cache off). */
export function tilesOptionsFrom(config: AppConfig): TilesOptions {
  return {
    cache: config.TILE_CACHE_TTL_SECONDS > 0,
    cacheTtlSeconds: config.TILE_CACHE_TTL_SECONDS,
    memoryBytes: config.TILE_CACHE_MEMORY_MB * 1024 * 1024,
  };
}

export const TILES_OPTIONS = Symbol('TILES_OPTIONS');

/**
 * How often one API process runs a layer's housekeeping (folding report_grid deltas). The worker folds
 * every 5 s (job maps.fold-grid); this is only the fallback for a deployment running no worker, and
 * costs one advisory-lock try and an empty DELETE when the worker keeps up. Tiles are exact either way.
 */
const MAINTAIN_EVERY_MS = 60_000;
export const DEFAULT_TILES_OPTIONS: TilesOptions = { cache: true, cacheTtlSeconds: 60, memoryBytes: 64 * 1024 * 1024 };

/** Browsers and CDNs may keep a tile this long; the ETag makes the re-check cheap. */
export const TILE_MAX_AGE_SECONDS = 60;

/** Who asks for a tile, as far as map layers care. */
export interface Viewer {
  signedIn: boolean;
  /** Dispatcher, akim or admin. */
  staff: boolean;
  /** The city a staff member works for; null for admins and national akims (every city). */
  cityId: string | null;
}

export const ANONYMOUS: Viewer = { signedIn: false, staff: false, cityId: null };

export interface TileResult {
  /** Empty tiles have no body (HTTP 204). */
  tile: Buffer | null;
  etag: string | null;
  cacheControl: string;
}

export interface TileJson {
  tilejson: '3.0.0';
  name: string;
  description: string;
  attribution: string;
  scheme: 'xyz';
  tiles: string[];
  minzoom: number;
  maxzoom: number;
  bounds: [number, number, number, number];
  vector_layers: { id: string; description: string; minzoom: number; maxzoom: number; fields: Record<string, string> }[];
}

/** A strong ETag from the tile's bytes; an empty tile (HTTP 204) has none. */
function cachedTile(bytes: Buffer): CachedTile {
  return { bytes, etag: bytes.length === 0 ? null : `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 32)}"` };
}

const WORLD_BOUNDS: [number, number, number, number] = [-180, -85.051129, 180, 85.051129];
export const ATTRIBUTION = 'Taza Map: residents\' reports; district boundaries by the akimats';

@Injectable()
export class TilesService {
  private readonly options: TilesOptions;
  private readonly logger = new Logger(TilesService.name);
  private readonly maintainedAt = new Map<string, number>();
  private readonly memory: MemoryTileCache | null;

  constructor(
    @Inject(TilesRepository) private readonly repo: TilesRepository,
    @Inject(TileCache) private readonly cache: TileCache,
    @Optional() @Inject(TILES_OPTIONS) options?: Partial<TilesOptions>,
  ) {
    this.options = { ...DEFAULT_TILES_OPTIONS, ...options };
    this.memory = this.options.memoryBytes > 0 ? new MemoryTileCache(this.options.memoryBytes) : null;
  }

  /** The layer, if this viewer may read it: 404 unknown, 401 anonymous or 403 not staff on a staff layer. */
  layer(id: string, viewer: Viewer): TileLayer {
    const layer = TILE_LAYERS.find((l) => l.id === id);
    if (!layer) throw MapsErrors.unknownLayer(id.slice(0, 60));
    if (layer.access === 'staff' && !viewer.signedIn) throw MapsErrors.signInRequired(layer.id);
    if (layer.access === 'staff' && !viewer.staff) throw MapsErrors.staffOnly(layer.id);
    return layer;
  }

  /** The cities a viewer sees on this layer: all of them on public layers. */
  private scope(layer: TileLayer, viewer: Viewer): TileScope {
    return layer.access === 'public' ? ALL_CITIES : { cityId: viewer.cityId };
  }

  async tile(layerId: string, coord: { z: string; x: string; y: string }, query: Record<string, unknown>, viewer: Viewer): Promise<TileResult> {
    const layer = this.layer(layerId, viewer);
    const tile = parseTileCoord(coord.z, coord.x, coord.y);
    const filters = parseTileFilters(query, layer.filters, MAP_REPORT_STATUSES);
    const scope = this.scope(layer, viewer);
    const cacheControl = `${layer.access === 'public' ? 'public' : 'private'}, max-age=${TILE_MAX_AGE_SECONDS}`;

    let entry: CachedTile | null = null;
    let key: string | null = null;
    if (this.options.cache || this.memory) {
      // A version read that fails (database trouble) fails the request anyway when the tile is built.
      const version = await layer.version(this.repo);
      key = this.cache.key(layer.id, version, `${tile.z}/${tile.x}/${tile.y}?${filtersQueryString(filters)}#${scope.cityId ?? 'all'}`);
      entry = this.memory?.get(key) ?? null;
      if (!entry && this.options.cache) {
        const bytes = await this.cache.get(key);
        if (bytes) {
          entry = cachedTile(bytes);
          this.memory?.set(key, entry);
        }
      }
    }
    if (!entry) {
      this.maintain(layer);
      entry = cachedTile(await layer.render(this.repo, tile, filters, scope));
      if (key) {
        this.memory?.set(key, entry);
        if (this.options.cache) await this.cache.set(key, entry.bytes, this.options.cacheTtlSeconds);
      }
    }
    if (entry.etag === null) return { tile: null, etag: null, cacheControl };
    return { tile: entry.bytes, etag: entry.etag, cacheControl };
  }

  /** Runs the layer's housekeeping in the background, at most every few seconds per process. */
  private maintain(layer: TileLayer): void {
    if (!layer.maintain || Date.now() - (this.maintainedAt.get(layer.id) ?? 0) < MAINTAIN_EVERY_MS) return;
    this.maintainedAt.set(layer.id, Date.now());
    layer.maintain(this.repo).catch((err: Error) => this.logger.warn({ msg: 'tile layer housekeeping failed', layer: layer.id, err: err.message }));
  }

  async tileJson(layerId: string, query: Record<string, unknown>, baseUrl: string, viewer: Viewer): Promise<TileJson> {
    const layer = this.layer(layerId, viewer);
    const filters = parseTileFilters(query, layer.filters, MAP_REPORT_STATUSES);
    const qs = filtersQueryString(filters);
    return {
      tilejson: '3.0.0',
      name: layer.name,
      description: layer.description,
      attribution: ATTRIBUTION,
      scheme: 'xyz',
      tiles: [`${baseUrl}/tiles/${layer.id}/{z}/{x}/{y}.mvt${qs ? `?${qs}` : ''}`],
      minzoom: layer.minzoom,
      maxzoom: layer.maxzoom,
      bounds: (await this.repo.citiesBounds()) ?? WORLD_BOUNDS,
      vector_layers: [{ id: layer.id, description: layer.description, minzoom: layer.minzoom, maxzoom: layer.maxzoom, fields: layer.fields }],
    };
  }
}
