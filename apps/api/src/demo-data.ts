import type { INestApplicationContext } from '@nestjs/common';
import { AccountsService } from '../../../libs/accounts/src/index.js';
import { CitiesService } from '../../../libs/cities/src/index.js';
import { DispatchService } from '../../../libs/dispatch/src/index.js';
import { HotspotsService } from '../../../libs/hotspots/src/index.js';
import { LandfillsService } from '../../../libs/landfills/src/index.js';
import { Open311ClientsService } from '../../../libs/open311/src/index.js';
import { CamerasService } from '../../../libs/incidents/src/index.js';

/**
 * Every demo data set, in dependency order (cities, then accounts, then what hangs off them). `npm run
 * seed` (run by `npm start`) and the test harness both load it; a second run adds nothing. Returns a
 * line per set for the seed's output.
 */
export async function loadDemoData(app: INestApplicationContext): Promise<string[]> {
  const accounts = app.get(AccountsService);
  const { citiesCreated, districtsCreated } = await app.get(CitiesService).loadDemoCities();
  const lines = [`${citiesCreated} new cities, ${districtsCreated} new districts`];
  lines.push(`${await accounts.loadDemoAccounts()} new accounts`);
  lines.push(`${await app.get(Open311ClientsService).loadDemoClient()} new Open311 client (api_key taza-demo-open311-key)`);
  const crews = await app.get(DispatchService).loadDemoCrews(async (cityId, email, name) => {
    await accounts.createDemoAccount({ email, role: 'crew', cityId, displayName: name });
  });
  lines.push(`${crews} new crews (crew.<city>@taza.example signs in on the first crew's phone)`);
  lines.push(`${await app.get(LandfillsService).loadDemoLandfills()} new landfills with a year of intake (Kostanay's about 91 % full: its alert emails are queued)`);
  lines.push(`${await app.get(CamerasService).loadDemoCameras()} new cameras (keys demo-<city>-<n>, secrets taza-demo-camera-secret-<city>-<n>)`);
  const demo = await app.get(HotspotsService).loadDemoReports();
  lines.push(`${demo.reports} new generated reports (mostly on the outskirts), clustered into ${demo.hotspots} hotspots`);
  return lines;
}
