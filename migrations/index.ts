import { CitiesDistricts1763900000000 } from './1763900000000-cities-districts.js';
import { Outbox1763900000001 } from './1763900000001-outbox.js';
import { Accounts1763900000002 } from './1763900000002-accounts.js';
import { Reports1763900000003 } from './1763900000003-reports.js';
import { Notifications1763900000004 } from './1763900000004-notifications.js';
import { ReportIntakeFunction1763900000005 } from './1763900000005-report-intake-function.js';
import { PasswordResets1763900000006 } from './1763900000006-password-resets.js';
import { ReportGrid1763900000007 } from './1763900000007-report-grid.js';
import { Cameras1763900000008 } from './1763900000008-cameras.js';
import { Dispatch1763900000013 } from './1763900000013-dispatch.js';
import { ReportCells1763900000014 } from './1763900000014-report-cells.js';
import { Incidents1763900000015 } from './1763900000015-incidents.js';
import { Hotspots1763900000016 } from './1763900000016-hotspots.js';
import { Landfills1763900000017 } from './1763900000017-landfills.js';

/** Every migration, oldest first. Add new ones at the end. */
export const MIGRATIONS = [CitiesDistricts1763900000000, Outbox1763900000001, Accounts1763900000002, Reports1763900000003, Notifications1763900000004, ReportIntakeFunction1763900000005, PasswordResets1763900000006, ReportGrid1763900000007, Cameras1763900000008, Dispatch1763900000013, ReportCells1763900000014, Incidents1763900000015, Hotspots1763900000016, Landfills1763900000017];
