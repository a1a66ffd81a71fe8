import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditRepository, type UserPrincipal } from '../../accounts/src/index.js';
import { CategoriesRepository, type CategoryRow } from './categories.repository.js';
import { ReportsError, ReportsErrors } from './reports.errors.js';

export type CategoryChange = Partial<Omit<CategoryRow, 'code' | 'name'>> & { name?: Partial<CategoryRow['name']> };

/** Admins add and edit categories; a category is retired (active = false), never deleted, so old reports keep it. */
@Injectable()
export class CategoriesService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(CategoriesRepository) private readonly categories: CategoriesRepository,
    @Inject(AuditRepository) private readonly auditLog: AuditRepository,
  ) {}

  async create(actor: UserPrincipal, c: CategoryRow, requestId?: string) {
    return this.dataSource.transaction(async (manager) => {
      const created = await this.categories.insert(manager, c);
      if (!created) throw new ReportsError('conflict', 'categories.exists', 'A category with this code exists.', [{ field: 'code', message: 'already exists' }]);
      await this.audit(manager, actor, 'category.created', c.code, null, created, requestId);
      return created;
    });
  }

  async update(actor: UserPrincipal, code: string, change: CategoryChange, requestId?: string) {
    return this.dataSource.transaction(async (manager) => {
      const before = await this.categories.get(code, manager);
      if (!before) throw ReportsErrors.notFound();
      const after = await this.categories.update(manager, code, {
        ...before,
        ...change,
        code,
        name: { ...before.name, ...(change.name ?? {}) },
      });
      await this.audit(manager, actor, 'category.updated', code, before, after, requestId);
      return after;
    });
  }

  private audit(manager: EntityManager, actor: UserPrincipal, action: string, code: string, before: unknown, after: unknown, requestId?: string) {
    return this.auditLog.write(manager, { actorId: actor.userId, actorRole: actor.role, action, objectType: 'category', objectId: code, cityId: null, before, after, requestId });
  }

}
