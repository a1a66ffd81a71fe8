import type { CityCollection, DistrictCollection } from '../api/types';

export function CrewPage(_props: { cities: CityCollection | null; districts: DistrictCollection | null }) {
  return null;
}
