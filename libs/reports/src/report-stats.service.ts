import { Inject, Injectable } from '@nestjs/common';
import { canReadCity, readableCities, type UserPrincipal } from '../../accounts/src/index.js';
import { ReportsErrors } from './reports.errors.js';
import { ReportStatsRepository } from './report-stats.repository.js';

/** Per-district SLA figures for dispatchers, akims and admins, within their scope. */
@Injectable()
export class ReportStatsService {
  constructor(@Inject(ReportStatsRepository) private readonly stats: ReportStatsRepository) {}

  async byDistrict(principal: UserPrincipal, filter: { cityId?: string; from?: Date; to?: Date }) {
    if (filter.cityId && !canReadCity(principal, filter.cityId)) throw ReportsErrors.notFound();
    const cityIds = filter.cityId ? [filter.cityId] : readableCities(principal);
    return this.stats.byDistrict(cityIds, filter.from, filter.to);
  }
}
