import { CitiesDistricts1763900000000 } from './1763900000000-cities-districts.js';
import { Outbox1763900000001 } from './1763900000001-outbox.js';

/** Every migration, oldest first. Add new ones at the end. */
export const MIGRATIONS = [CitiesDistricts1763900000000, Outbox1763900000001];
