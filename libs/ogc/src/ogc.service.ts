import { Inject, Injectable } from '@nestjs/common';
import { OGC_COLLECTIONS, ogcCollection, type OgcCollectionSource, type OgcFeature } from './ogc-collections.js';
import { OgcErrors } from './ogc.errors.js';
import { parseBbox, parseDatetime, parseLimit, parseOffset, type ItemsFilter } from './ogc-params.js';
import { OgcRepository } from './ogc.repository.js';

export const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';
export const OGC_CONFORMANCE = [
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30',
];
const JSON_TYPE = 'application/json';
export const GEOJSON_TYPE = 'application/geo+json';
const OPENAPI_TYPE = 'application/vnd.oai.openapi+json;version=3.0';

/** Most features one export download holds; past it the file is cut (and the response says so). */
export const OGC_EXPORT_CAP = 100_000;
const EXPORT_BATCH = 1000;

export interface OgcLink {
  href: string;
  rel: string;
  type: string;
  title?: string;
}

/** The raw items query as the client sent it (parsed here, so every surface answers the same 400s). */
export interface ItemsQuery {
  bbox?: string;
  datetime?: string;
  limit?: string;
  offset?: string;
}

/** Where the request came from: links are absolute, built from the caller's own scheme and host. */
export interface RequestUrl {
  /** e.g. `https://taza.example` (from Fastify's protocol/host, which honour X-Forwarded-* only under trustProxy). */
  base: string;
  /** The path and query string as requested. */
  url: string;
}

/** OGC API - Features Part 1 (core, GeoJSON, OpenAPI 3.0) over the collection registry. */
@Injectable()
export class OgcService {
  constructor(@Inject(OgcRepository) private readonly repository: OgcRepository) {}

  landing(req: RequestUrl) {
    const b = req.base;
    return {
      title: 'Taza Map',
      description: 'Illegal-dump reports and district akimat service areas of Kazakh cities, as OGC API - Features (GeoJSON, CRS84).',
      links: [
        { href: `${b}/ogc`, rel: 'self', type: JSON_TYPE, title: 'This document' },
        { href: `${b}/api/docs-json`, rel: 'service-desc', type: OPENAPI_TYPE, title: 'The API definition (OpenAPI 3.0)' },
        { href: `${b}/api/docs`, rel: 'service-doc', type: 'text/html', title: 'The API documentation' },
        { href: `${b}/ogc/conformance`, rel: 'conformance', type: JSON_TYPE, title: 'Conformance classes implemented' },
        { href: `${b}/ogc/collections`, rel: 'data', type: JSON_TYPE, title: 'The feature collections' },
      ] satisfies OgcLink[],
    };
  }

  conformance() {
    return { conformsTo: OGC_CONFORMANCE };
  }

  async collections(req: RequestUrl) {
    return {
      links: [{ href: `${req.base}/ogc/collections`, rel: 'self', type: JSON_TYPE, title: 'The feature collections' }] satisfies OgcLink[],
      collections: await Promise.all(OGC_COLLECTIONS.map((source) => this.describe(source, req))),
    };
  }

  async collection(id: string, req: RequestUrl) {
    return this.describe(this.source(id), req);
  }

  async items(id: string, query: ItemsQuery, req: RequestUrl) {
    const source = this.source(id);
    const filter = this.filter(query);
    const limit = parseLimit(query.limit);
    const offset = parseOffset(query.offset);
    const { rows, matched } = await this.repository.page(source, filter, limit, offset);
    const self = new URL(req.url, req.base);
    const pageLink = (rel: string, at: number): OgcLink => {
      const url = new URL(self);
      url.searchParams.set('offset', String(at));
      url.searchParams.set('limit', String(limit));
      return { href: url.toString(), rel, type: GEOJSON_TYPE, title: rel === 'next' ? 'Next page' : 'Previous page' };
    };
    const links: OgcLink[] = [
      { href: self.toString(), rel: 'self', type: GEOJSON_TYPE, title: 'This page' },
      { href: `${req.base}/ogc/collections/${source.id}`, rel: 'collection', type: JSON_TYPE, title: source.title },
    ];
    if (offset + rows.length < matched) links.push(pageLink('next', offset + limit));
    if (offset > 0) links.push(pageLink('prev', Math.max(0, offset - limit)));
    return {
      type: 'FeatureCollection' as const,
      features: rows.map((row) => source.toFeature(row)),
      numberMatched: matched,
      numberReturned: rows.length,
      timeStamp: new Date().toISOString(),
      links,
    };
  }

  async item(id: string, featureId: string, req: RequestUrl): Promise<OgcFeature & { links: OgcLink[] }> {
    const source = this.source(id);
    const row = source.idPattern.test(featureId) ? await this.repository.one(source, featureId) : null;
    if (!row) throw OgcErrors.unknownFeature(source.id, featureId);
    const feature = source.toFeature(row);
    return {
      ...feature,
      links: [
        { href: `${req.base}/ogc/collections/${source.id}/items/${feature.id}`, rel: 'self', type: GEOJSON_TYPE, title: 'This feature' },
        { href: `${req.base}/ogc/collections/${source.id}`, rel: 'collection', type: JSON_TYPE, title: source.title },
      ],
    };
  }

  /**
   * A whole (filtered) collection as one GeoJSON FeatureCollection, produced in chunks of text while
   * the keyset batches are read, so memory holds one batch however large the download.
   * Validates (and throws) before the first chunk, so a bad request still gets a proper 400/404.
   */
  async export(id: string, query: Pick<ItemsQuery, 'bbox' | 'datetime'>): Promise<{ matched: number; truncated: boolean; chunks: AsyncGenerator<string> }> {
    const source = this.source(id);
    const filter = this.filter(query);
    const matched = await this.repository.count(source, filter);
    const repository = this.repository;
    async function* chunks(): AsyncGenerator<string> {
      yield `{"type":"FeatureCollection","name":${JSON.stringify(`taza-${source.id}`)},"timeStamp":${JSON.stringify(new Date().toISOString())},"features":[`;
      let first = true;
      for await (const rows of repository.batches(source, filter, EXPORT_BATCH, OGC_EXPORT_CAP)) {
        const text = rows.map((row) => JSON.stringify(source.toFeature(row))).join(',\n');
        yield first ? `\n${text}` : `,\n${text}`;
        first = false;
      }
      yield '\n]}\n';
    }
    return { matched, truncated: matched > OGC_EXPORT_CAP, chunks: chunks() };
  }

  private source(id: string): OgcCollectionSource {
    const source = ogcCollection(id);
    if (!source) throw OgcErrors.unknownCollection(id);
    return source;
  }

  private filter(query: Pick<ItemsQuery, 'bbox' | 'datetime'>): ItemsFilter {
    return { bbox: parseBbox(query.bbox), datetime: parseDatetime(query.datetime) };
  }

  private async describe(source: OgcCollectionSource, req: RequestUrl) {
    const extent = await this.repository.extent(source);
    const href = `${req.base}/ogc/collections/${source.id}`;
    return {
      id: source.id,
      title: source.title,
      description: source.description,
      ...(extent.bbox || extent.interval
        ? {
            extent: {
              ...(extent.bbox ? { spatial: { bbox: [extent.bbox], crs: CRS84 } } : {}),
              ...(extent.interval
                ? { temporal: { interval: [extent.interval.map((d) => d?.toISOString() ?? null)], trs: 'http://www.opengis.net/def/uom/ISO-8601/0/Gregorian' } }
                : {}),
            },
          }
        : {}),
      itemType: 'feature',
      crs: [CRS84],
      links: [
        { href, rel: 'self', type: JSON_TYPE, title: source.title },
        { href: `${href}/items`, rel: 'items', type: GEOJSON_TYPE, title: `${source.title} (GeoJSON)` },
      ] satisfies OgcLink[],
    };
  }
}
