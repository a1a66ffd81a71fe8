import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError } from '../../core/src/index.js';
import { CitiesRepository } from './cities.repository.js';
import { DEMO_CITIES } from './demo/demo-cities.js';

export class CitiesError extends DomainError {}

@Injectable()
export class CitiesService {
  private readonly logger = new Logger(CitiesService.name);

  constructor(
    @Inject(CitiesRepository) private readonly repository: CitiesRepository,
    @Inject(DataSource) private readonly dataSource: DataSource,
  ) {}

  listCities() {
    return this.repository.cityFeatures();
  }

  async listDistricts(cityId?: string) {
    if (cityId !== undefined && !(await this.repository.cityExists(cityId))) {
      throw new CitiesError('not_found', 'cities.not_found', 'No city has this id.', [{ field: 'cityId', message: 'no city has this id' }]);
    }
    return this.repository.districtFeatures(cityId);
  }

  /** Loads the four demo cities with their districts; a second run adds nothing. */
  async loadDemoCities(): Promise<{ citiesCreated: number; districtsCreated: number }> {
    let citiesCreated = 0;
    let districtsCreated = 0;
    await this.dataSource.transaction(async (manager) => {
      for (const city of DEMO_CITIES) {
        const { id, created } = await this.repository.insertCityIfMissing(manager, city);
        if (created) citiesCreated += 1;
        for (const district of city.districts) {
          if (await this.repository.insertDistrictIfMissing(manager, id, district)) districtsCreated += 1;
        }
      }
    });
    this.logger.log({ msg: 'demo cities loaded', citiesCreated, districtsCreated });
    return { citiesCreated, districtsCreated };
  }
}
