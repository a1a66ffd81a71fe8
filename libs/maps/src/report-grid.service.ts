import { Inject, Injectable, Logger } from '@nestjs/common';
import { TilesRepository } from './tiles.repository.js';

/**
 * Housekeeping of the low-zoom aggregates (report_grid, report_cells). Tiles are exact without it (they
 * add the unfolded deltas themselves); folding keeps the delta tables short so tiles stay fast.
 */
@Injectable()
export class ReportGridService {
  private readonly logger = new Logger(ReportGridService.name);

  constructor(@Inject(TilesRepository) private readonly repo: TilesRepository) {}

  /**
   * Job maps.fold-grid, every 5 s from the worker. Idempotent: it folds what has been committed since the
   * last fold; a run that finds another fold under way returns at once.
   */
  async fold(): Promise<{ rows: number | null }> {
    const started = Date.now();
    const rows = await this.repo.foldGridDeltas();
    if (rows === null) this.logger.debug({ msg: 'grid fold skipped: another fold is running' });
    else if (rows > 0) this.logger.debug({ msg: 'grid deltas folded', rows, ms: Date.now() - started });
    return { rows };
  }

  /** Recomputes the aggregates from `reports` (after a bulk import with the grid trigger disabled). */
  async rebuild(): Promise<void> {
    const started = Date.now();
    await this.repo.rebuildGrid();
    this.logger.log({ msg: 'report grid rebuilt', ms: Date.now() - started });
  }
}
