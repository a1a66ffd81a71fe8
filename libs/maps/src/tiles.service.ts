import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { MapsErrors } from './maps.errors.js';
import { TileCache } from './tile-cache.js';
import { filtersQueryString, parseTileFilters } from './tile-filters.js';
import { ALL_CITIES, MAP_REPORT_STATUSES, TILE_LAYERS, type TileLayer, type TileScope } from './tile-layers.js';
import { parseTileCoord } from './tile-math.js';
import { TilesRepository } from './tiles.repository.js';

export interface TilesOptions {
  /** Keep built tiles in Redis (shared by all API processes). */
  cache: boolean;
  cacheTtlSeconds: number;
}

export const TILES_OPTIONS = Symbol('TILES_OPTIONS');

/**
 * How often one API process runs a layer's housekeeping (folding report_grid deltas). The worker folds
 * every 5 s (job maps.fold-grid); this is only the fallback for a deployment running no worker, and
 * costs one advisory-lock try and an empty DELETE when the worker keeps up. Tiles are exact either way.
 */
const MAINTAIN_EVERY_MS = 60_000;
export const DEFAULT_TILES_OPTIONS: TilesOptions = { cache: true, cacheTtlSeconds: 60 };

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

const WORLD_BOUNDS: [number, number, number, number] = [-180, -85.051129, 180, 85.051129];
export const ATTRIBUTION = 'Taza Map: residents\' reports; district boundaries by the akimats';

@Injectable()
export class TilesService {
  private readonly options: TilesOptions;
  private readonly logger = new Logger(TilesService.name);
  private readonly maintainedAt = new Map<string, number>();

  constructor(
    @Inject(TilesRepository) private readonly repo: TilesRepository,
    @Inject(TileCache) private readonly cache: TileCache,
    @Optional() @Inject(TILES_OPTIONS) options?: Partial<TilesOptions>,
  ) {
    this.options = { ...DEFAULT_TILES_OPTIONS, ...options };
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

    let bytes: Buffer | null = null;
    let key: string | null = null;
    if (this.options.cache) {
      // A version read that fails (database trouble) fails the request anyway when the tile is built.
      const version = await layer.version(this.repo);
      key = this.cache.key(layer.id, version, `${tile.z}/${tile.x}/${tile.y}?${filtersQueryString(filters)}#${scope.cityId ?? 'all'}`);
      bytes = await this.cache.get(key);
    }
    if (bytes === null) {
      this.maintain(layer);
      bytes = await layer.render(this.repo, tile, filters, scope);
      if (key) await this.cache.set(key, bytes, this.options.cacheTtlSeconds);
    }
    if (bytes.length === 0) return { tile: null, etag: null, cacheControl };
    return { tile: bytes, etag: `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 32)}"`, cacheControl };
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
