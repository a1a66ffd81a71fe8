import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { rowsOf } from '../../core/src/index.js';

export interface CategoryRow {
  code: string;
  name: { kk: string; ru: string; en: string };
  hazardous: boolean;
  active: boolean;
  sort: number;
}

const COLUMNS = `code, json_build_object('kk', name_kk, 'ru', name_ru, 'en', name_en) AS name, hazardous, active, sort`;

/** Dump categories: data that admins edit (they are also the Open311 services). */
@Injectable()
export class CategoriesRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async get(code: string, manager: EntityManager = this.dataSource.manager): Promise<CategoryRow | null> {
    const rows: CategoryRow[] = await manager.query(`SELECT ${COLUMNS} FROM categories WHERE code = $1`, [code]);
    return rows[0] ?? null;
  }

  async insert(manager: EntityManager, c: CategoryRow): Promise<CategoryRow | null> {
    const rows: CategoryRow[] = await manager.query(
      `INSERT INTO categories (code, name_kk, name_ru, name_en, hazardous, active, sort) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (code) DO NOTHING RETURNING ${COLUMNS}`,
      [c.code, c.name.kk, c.name.ru, c.name.en, c.hazardous, c.active, c.sort],
    );
    return rows[0] ?? null;
  }

  async update(manager: EntityManager, code: string, c: CategoryRow): Promise<CategoryRow> {
    const result = await manager.query(
      `UPDATE categories SET name_kk = $2, name_ru = $3, name_en = $4, hazardous = $5, active = $6, sort = $7, updated_at = now()
        WHERE code = $1 RETURNING ${COLUMNS}`,
      [code, c.name.kk, c.name.ru, c.name.en, c.hazardous, c.active, c.sort],
    );
    return rowsOf<CategoryRow>(result)[0];
  }
}
