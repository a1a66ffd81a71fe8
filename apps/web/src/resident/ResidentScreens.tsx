import type { CityCollection, DistrictCollection } from '../api/types';
import { CrewPage } from '../crew/CrewPage';
import type { RouteName } from '../router';
import { MyReportsPage } from './MyReportsPage';
import { ReportDetailPage } from './ReportDetailPage';
import { ReportPage } from './ReportPage';

/** The resident and crew screens (App renders them below the header). */
export const RESIDENT_ROUTES: ReadonlySet<RouteName> = new Set<RouteName>(['report', 'reportDetail', 'myReports', 'crew']);

export function ResidentScreens({ route, cities, districts }: { route: RouteName; cities: CityCollection | null; districts: DistrictCollection | null }) {
  switch (route) {
    case 'report':
      return <ReportPage cities={cities} districts={districts} />;
    case 'reportDetail':
      return <ReportDetailPage cities={cities} districts={districts} />;
    case 'myReports':
      return <MyReportsPage />;
    case 'crew':
      return <CrewPage cities={cities} districts={districts} />;
    default:
      return null;
  }
}
