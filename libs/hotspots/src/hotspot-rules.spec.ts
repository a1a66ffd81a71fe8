import { matchClusters, reclusterSlot, severity, type PreviousHotspot } from './hotspot-rules.js';

const now = new Date('2026-12-01T00:00:00Z');
const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);
const base = { volumeM3: 0, reports: 0, hazardous: 0, incidents: 0, confirmations: 0, lastSeenAt: now, recurrences: 0 };

describe('severity', () => {
  it('grows with volume (logarithmically), reports, hazardous categories, CCTV incidents and confirmations', () => {
    expect(severity({ ...base, reports: 3, volumeM3: 3 }, now)).toBe(Math.round((10 * Math.log1p(3) + 6) * 10) / 10);
    expect(severity({ ...base, reports: 3, volumeM3: 15 }, now)).toBeGreaterThan(severity({ ...base, reports: 3, volumeM3: 3 }, now));
    expect(severity({ ...base, reports: 3, hazardous: 1 }, now) - severity({ ...base, reports: 3 }, now)).toBe(8);
    expect(severity({ ...base, reports: 3, incidents: 2 }, now) - severity({ ...base, reports: 3 }, now)).toBe(8);
    expect(severity({ ...base, reports: 3, confirmations: 5 }, now) - severity({ ...base, reports: 3 }, now)).toBe(5);
  });

  it('halves every 14 quiet days, never below a tenth', () => {
    const fresh = severity({ ...base, reports: 10 }, now);
    expect(severity({ ...base, reports: 10, lastSeenAt: daysAgo(14) }, now)).toBe(fresh / 2);
    expect(severity({ ...base, reports: 10, lastSeenAt: daysAgo(28) }, now)).toBe(fresh / 4);
    expect(severity({ ...base, reports: 10, lastSeenAt: daysAgo(365) }, now)).toBe(fresh / 10);
  });

  it('rises by half for every return after a clean-up, up to three times', () => {
    const once = severity({ ...base, reports: 4 }, now);
    expect(severity({ ...base, reports: 4, recurrences: 1 }, now)).toBe(once * 1.5);
    expect(severity({ ...base, reports: 4, recurrences: 10 }, now)).toBe(once * 3);
  });
});

describe('matchClusters: identity across runs', () => {
  const prev = (id: string, status: PreviousHotspot['status'] = 'active', clearedAt: Date | null = null, recurrences = 0): PreviousHotspot => ({ id, status, clearedAt, recurrences });

  it('gives new ids to clusters that overlap nothing', () => {
    const r = matchClusters([1, 2], [], [], now);
    expect(r.clusters.map((c) => c.keeps)).toEqual([null, null]);
    expect(r.history.map((e) => e.event)).toEqual(['created', 'created']);
  });

  it('keeps the id of the hotspot a cluster overlaps', () => {
    const r = matchClusters([7], [prev('a')], [{ cluster: 7, hotspotId: 'a', area: 100 }], now);
    expect(r.clusters[0]).toMatchObject({ keeps: 'a', status: 'active' });
    expect(r.history).toEqual([]);
  });

  it('on a split, the cluster with the largest overlap keeps the id and the other is recorded as split off', () => {
    const r = matchClusters([1, 2], [prev('a')], [
      { cluster: 1, hotspotId: 'a', area: 40 },
      { cluster: 2, hotspotId: 'a', area: 90 },
    ], now);
    expect(r.clusters.find((c) => c.cluster === 2)!.keeps).toBe('a');
    expect(r.clusters.find((c) => c.cluster === 1)!.keeps).toBeNull();
    expect(r.history).toEqual([{ event: 'split', cluster: 1, from: 'a' }]);
  });

  it('on a merge, the hotspot with the largest overlap lends its id and the other is merged into it', () => {
    const r = matchClusters([1], [prev('a'), prev('b')], [
      { cluster: 1, hotspotId: 'a', area: 30 },
      { cluster: 1, hotspotId: 'b', area: 80 },
    ], now);
    expect(r.clusters[0].keeps).toBe('b');
    expect(r.merged).toEqual([{ hotspotId: 'a', into: 1 }]);
    expect(r.cleared).toEqual([]);
  });

  it('clears a hotspot no cluster overlaps any more, and leaves already-cleared ones alone', () => {
    const r = matchClusters([], [prev('a'), prev('b', 'cleared', daysAgo(3)), prev('c', 'recurring', daysAgo(50), 1)], [], now);
    expect(r.cleared.sort()).toEqual(['a', 'c']);
    expect(r.history).toEqual(expect.arrayContaining([{ event: 'status', hotspotId: 'a', from: 'active', to: 'cleared' }]));
  });

  it('makes a cleared hotspot recurring when dumping returns within 60 days, active after that', () => {
    const soon = matchClusters([1], [prev('a', 'cleared', daysAgo(59), 0)], [{ cluster: 1, hotspotId: 'a', area: 5 }], now);
    expect(soon.clusters[0]).toMatchObject({ keeps: 'a', status: 'recurring', recurrences: 1 });
    const late = matchClusters([1], [prev('a', 'cleared', daysAgo(61), 2)], [{ cluster: 1, hotspotId: 'a', area: 5 }], now);
    expect(late.clusters[0]).toMatchObject({ keeps: 'a', status: 'active', recurrences: 2 });
  });

  it('ignores merged hotspots of earlier runs', () => {
    const r = matchClusters([1], [prev('old', 'merged')], [{ cluster: 1, hotspotId: 'old', area: 50 }], now);
    expect(r.clusters[0].keeps).toBeNull();
  });
});

describe('reclusterSlot: debounce', () => {
  it('puts every change of one minute on one job id, delayed to the end of that minute', () => {
    const t = Date.UTC(2026, 11, 1, 10, 0, 12, 500);
    const a = reclusterSlot('c1', t);
    const b = reclusterSlot('c1', t + 40_000);
    expect(a.jobId).toBe(b.jobId);
    expect(a.delay).toBe(47_500);
    expect(reclusterSlot('c1', t + 60_000).jobId).not.toBe(a.jobId);
    expect(reclusterSlot('c2', t).jobId).not.toBe(a.jobId);
  });
});
