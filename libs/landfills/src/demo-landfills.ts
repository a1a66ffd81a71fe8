import type { Geometry } from '../../core/src/index.js';
import { addDays } from './landfill-input.js';
import type { LandfillStatus, SurveyInput } from './landfills.repository.js';

/** The demo weighbridge key of Kostanay's landfill (dev/demo data only). */
export const DEMO_WEIGHBRIDGE_KEY = 'taza-demo-weighbridge-key';

export interface DemoLandfill {
  city: 'almaty' | 'astana' | 'kostanay' | 'zhezkazgan';
  name: string;
  status: LandfillStatus;
  operator: string;
  openedOn: string;
  capacityM3: number;
  /** Fill level the data set reaches today. */
  fillToday: number;
  /** Average tonnes a weekday. */
  tonnesPerDay: number;
  /** Site centre (lon, lat), out of town as such sites are; a ~600 m square. */
  centre: [number, number];
  geometry: Geometry;
}

const square = ([lon, lat]: [number, number], halfMetres = 300): Geometry => {
  const dLat = halfMetres / 110_574;
  const dLon = halfMetres / (111_320 * Math.cos((lat * Math.PI) / 180));
  return { type: 'MultiPolygon', coordinates: [[[[lon - dLon, lat - dLat], [lon + dLon, lat - dLat], [lon + dLon, lat + dLat], [lon - dLon, lat + dLat], [lon - dLon, lat - dLat]]]] } as Geometry;
};

const site = (d: Omit<DemoLandfill, 'geometry'>): DemoLandfill => ({ ...d, geometry: square(d.centre) });

/** Plausible figures, not official ones. Kostanay is the near-full one; Astana is comfortable. */
export const DEMO_LANDFILLS: readonly DemoLandfill[] = [
  site({ city: 'kostanay', name: 'Kostanay municipal landfill', status: 'operating', operator: 'Kostanay city sanitation (demo)', openedOn: '1998-06-01', capacityM3: 2_400_000, fillToday: 0.91, tonnesPerDay: 520, centre: [63.545, 53.268] }),
  site({ city: 'almaty', name: 'Almaty solid waste landfill', status: 'operating', operator: 'Almaty sanitation operator (demo)', openedOn: '2004-09-01', capacityM3: 14_000_000, fillToday: 0.64, tonnesPerDay: 2600, centre: [77.12, 43.35] }),
  site({ city: 'astana', name: 'Astana sanitary landfill', status: 'operating', operator: 'Astana waste operator (demo)', openedOn: '2019-03-01', capacityM3: 16_000_000, fillToday: 0.31, tonnesPerDay: 2100, centre: [71.28, 51.05] }),
  site({ city: 'zhezkazgan', name: 'Zhezkazgan landfill', status: 'operating', operator: 'Zhezkazgan city sanitation (demo)', openedOn: '2008-05-01', capacityM3: 1_500_000, fillToday: 0.55, tonnesPerDay: 150, centre: [67.62, 47.84] }),
];

/** Sunday light, Saturday lighter, weekdays a little over the average (0 = Sunday). */
const WEEKDAY = [0.55, 1.08, 1.1, 1.08, 1.06, 1.05, 0.85];

/**
 * A year of daily intake ending yesterday (weekday pattern, a slow rise, deterministic noise), a survey
 * every quarter that agrees with it within half a percent, and monthly diversion. The first survey is
 * set so that the fill level today is `fillToday`.
 */
export function demoSeries(d: DemoLandfill, today: string) {
  const start = addDays(today, -365);
  const intake: { day: string; tonnes: number }[] = [];
  let seed = [...d.name].reduce((a, c) => a + c.charCodeAt(0), 0);
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let i = 0; i < 365; i++) {
    const day = addDays(start, i);
    const dow = new Date(`${day}T00:00:00Z`).getUTCDay();
    const tonnes = d.tonnesPerDay * WEEKDAY[dow] * (0.97 + 0.06 * (i / 365)) * (0.92 + 0.16 * rnd());
    intake.push({ day, tonnes: Math.round(tonnes * 10) / 10 });
  }
  const total = intake.reduce((a, r) => a + r.tonnes, 0);
  const density = 0.8;
  const startUsed = d.fillToday * d.capacityM3 - total / density;
  const surveys: SurveyInput[] = [];
  let cumulative = 0;
  intake.forEach((r, i) => {
    cumulative += r.tonnes;
    if (i % 91 === 40 || i === 0) {
      const error = i === 0 ? 1 : 1 + (rnd() - 0.5) * 0.002;
      surveys.push({ day: r.day, usedM3: Math.round((startUsed + (i === 0 ? r.tonnes : cumulative) / density) * error), method: i % 182 === 40 ? 'topographic' : 'drone', note: null });
    }
  });
  const diversion = Array.from({ length: 12 }, (_, k) => ({
    day: addDays(start, 30 * k + 28),
    tonnes: Math.round(d.tonnesPerDay * (1.5 + k * 0.2) * 10) / 10,
    source: k % 3 === 0 ? 'eco-action' : 'collection points',
    note: null,
  }));
  return { intake, surveys, diversion };
}
