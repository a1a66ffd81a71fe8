import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { OgcCollectionSource } from './ogc-collections.js';
import type { ItemsFilter } from './ogc-params.js';

export interface CollectionExtent {
  bbox: [number, number, number, number] | null;
  interval: [Date | null, Date | null] | null;
}

type Row = Record<string, unknown>;

/** The WHERE clause of an items filter (plus `extra` conditions); its values are appended to `params`. */
function whereOf(source: OgcCollectionSource, filter: ItemsFilter, params: unknown[], extra: (p: (value: unknown) => string) => string[] = () => []): string {
  const where: string[] = [];
  const p = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  if (filter.bbox) {
    const [minLon, minLat, maxLon, maxLat] = filter.bbox;
    const envelope = (x1: number, x2: number) => `ST_MakeEnvelope(${p(x1)}::float8, ${p(minLat)}::float8, ${p(x2)}::float8, ${p(maxLat)}::float8, 4326)`;
    // A box whose west edge lies east of its east edge crosses the antimeridian: two boxes.
    where.push(
      minLon <= maxLon
        ? `ST_Intersects(${source.geometry}, ${envelope(minLon, maxLon)})`
        : `(ST_Intersects(${source.geometry}, ${envelope(minLon, 180)}) OR ST_Intersects(${source.geometry}, ${envelope(-180, maxLon)}))`,
    );
  }
  if (filter.datetime && source.temporal) {
    const { from, to, toExclusive } = filter.datetime;
    if (from) where.push(`${source.temporal} >= ${p(from)}`);
    if (to) where.push(`${source.temporal} ${toExclusive ? '<' : '<='} ${p(to)}`);
  }
  where.push(...extra(p));
  return where.length ? `WHERE ${where.join(' AND ')}` : '';
}

/** All SQL of the OGC API - Features surface, generic over the collection sources. */
@Injectable()
export class OgcRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async extent(source: OgcCollectionSource): Promise<CollectionExtent> {
    const [row]: { minx: number | null; miny: number; maxx: number; maxy: number; first: Date | null; last: Date | null }[] = await this.dataSource.query(
      `SELECT ST_XMin(e.box) AS minx, ST_YMin(e.box) AS miny, ST_XMax(e.box) AS maxx, ST_YMax(e.box) AS maxy, e.first, e.last
         FROM (SELECT ST_Extent(${source.geometry}) AS box,
                      ${source.temporal ? `min(${source.temporal})` : 'NULL::timestamptz'} AS first,
                      ${source.temporal ? `max(${source.temporal})` : 'NULL::timestamptz'} AS last
                 FROM ${source.from}) e`,
    );
    return {
      bbox: row.minx === null ? null : [row.minx, row.miny, row.maxx, row.maxy],
      interval: source.temporal && row.first ? [row.first, row.last] : null,
    };
  }

  /** One page in key order, and how many features match the filter. */
  async page(source: OgcCollectionSource, filter: ItemsFilter, limit: number, offset: number): Promise<{ rows: Row[]; matched: number }> {
    const params: unknown[] = [];
    const where = whereOf(source, filter, params);
    const [matched, rows] = await Promise.all([
      this.count(source, filter),
      this.dataSource.query(`SELECT ${source.columns} FROM ${source.from} ${where} ORDER BY ${source.key} LIMIT ${Number(limit)} OFFSET ${Number(offset)}`, params) as Promise<Row[]>,
    ]);
    return { rows, matched };
  }

  async count(source: OgcCollectionSource, filter: ItemsFilter): Promise<number> {
    const params: unknown[] = [];
    const where = whereOf(source, filter, params);
    const [{ n }]: { n: number }[] = await this.dataSource.query(`SELECT count(*)::int AS n FROM ${source.from} ${where}`, params);
    return n;
  }

  async one(source: OgcCollectionSource, id: string): Promise<Row | null> {
    const rows: Row[] = await this.dataSource.query(`SELECT ${source.columns} FROM ${source.from} WHERE ${source.key} = $1`, [id]);
    return rows[0] ?? null;
  }

  /**
   * The matching rows in key order, `batch` at a time (keyset: each batch starts after the last key),
   * at most `cap` in all; only one batch is in memory at once.
   */
  async *batches(source: OgcCollectionSource, filter: ItemsFilter, batch: number, cap: number): AsyncGenerator<Row[]> {
    let after: string | null = null;
    let sent = 0;
    while (sent < cap) {
      const params: unknown[] = [];
      const last = after;
      const where = whereOf(source, filter, params, (p) => (last === null ? [] : [`${source.key} > ${p(last)}`]));
      const size = Math.min(batch, cap - sent);
      const rows: Row[] = await this.dataSource.query(
        `SELECT ${source.columns}, ${source.key} AS "__key" FROM ${source.from} ${where}
          ORDER BY ${source.key} LIMIT ${Number(size)}`,
        params,
      );
      if (rows.length === 0) return;
      sent += rows.length;
      after = String(rows[rows.length - 1].__key);
      yield rows;
      if (rows.length < size) return;
    }
  }
}
