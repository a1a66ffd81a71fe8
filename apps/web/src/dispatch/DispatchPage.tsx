import { useCallback, useEffect, useMemo, useState } from 'react';
import type { MapGeoJSONFeature } from 'maplibre-gl';
import type { CityCollection, DistrictCollection } from '../api/types';
import { localizedName } from '../api/types';
import { useI18n } from '../i18n/I18nProvider';
import { format } from '../i18n/dictionaries';
import { useStaffStrings } from '../i18n/use-staff-strings';
import { REPORT_CATEGORIES } from '../map/offline-style';
import { DISPATCH_LAYERS, camerasOverlay, hotspotsOverlay, incidentsOverlay, reportsOverlay, routeOverlay, type MapReport } from './dispatch-layers';
import { HotspotsPanel } from './HotspotsPanel';
import { IncidentsPanel } from './IncidentsPanel';
import { QueuePanel } from './QueuePanel';
import { useStaffApi, type Camera, type Crew, type CrewDay, type DispatchQueue, type HotspotCollection, type ReportCollection, type WorkOrder } from './staff-api';
import { StaffGate } from './StaffGate';
import { CrewSelect, StaffNotices } from './StaffParts';
import { StaffMap, type MapMarker, type Overlay } from './StaffMap';
import { WorkOrdersPanel } from './WorkOrdersPanel';
import { formatDate } from './staff-format';
import { useStaffAction } from './use-staff-action';
import './staff.css';

type Tab = 'queue' | 'reports' | 'hotspots' | 'orders';

export interface ReportFilters {
  status: string;
  category: string;
  districtId: string;
  from: string;
  to: string;
}

const OPEN_STATUSES = ['submitted', 'registered', 'in_progress'];

interface PageProps {
  cities: CityCollection | null;
  districts: DistrictCollection | null;
}

export function DispatchPage({ cities, districts }: PageProps) {
  const s = useStaffStrings();
  return (
    <StaffGate roles={['dispatcher', 'admin']} cities={cities} title={s.dispatchTitle}>
      {(cityId) => <DispatchConsole key={cityId} cityId={cityId} cities={cities} districts={districts} />}
    </StaffGate>
  );
}

function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

function DispatchConsole({ cityId, cities, districts }: PageProps & { cityId: string }) {
  const { lang } = useI18n();
  const s = useStaffStrings();
  const api = useStaffApi();
  const [tab, setTab] = useState<Tab>('queue');
  const [version, setVersion] = useState(0);
  const reload = useCallback(() => setVersion((v) => v + 1), []);
  const action = useStaffAction(reload);

  const [queue, setQueue] = useState<DispatchQueue | null>(null);
  const [loadError, setLoadError] = useState(false);
  const [reports, setReports] = useState<ReportCollection | null>(null);
  const [filters, setFilters] = useState<ReportFilters>({ status: 'registered', category: '', districtId: '', from: '', to: '' });
  const [crews, setCrews] = useState<Crew[]>([]);
  const [orders, setOrders] = useState<WorkOrder[]>([]);
  /** undefined = loading, null = this server has no such module yet */
  const [hotspots, setHotspots] = useState<HotspotCollection | null | undefined>(undefined);
  const [cameras, setCameras] = useState<Camera[] | null | undefined>(undefined);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [routeCrew, setRouteCrew] = useState('');
  const [crewDay, setCrewDay] = useState<CrewDay | null>(null);
  const [focus, setFocus] = useState<{ lon: number; lat: number; key: string } | null>(null);
  const [highlight, setHighlight] = useState<string | null>(null);

  const cityDistricts = useMemo(() => (districts ? { ...districts, features: districts.features.filter((f) => f.properties.cityId === cityId) } : null), [districts, cityId]);

  // The queue, crews, orders and the optional modules.
  useEffect(() => {
    let live = true;
    setLoadError(false);
    Promise.all([api.queue(cityId), api.crews(cityId), api.workOrders({ cityId })])
      .then(([q, c, o]) => {
        if (!live) return;
        setQueue(q);
        setCrews(c);
        setOrders(o);
      })
      .catch((err: unknown) => {
        console.error('[taza-map] dispatch data', err);
        if (live) setLoadError(true);
      });
    api.hotspots(cityId).then((h) => live && setHotspots(h), () => live && setHotspots(null));
    api.cameras(cityId).then((c) => live && setCameras(c), () => live && setCameras(null));
    return () => {
      live = false;
    };
  }, [api, cityId, version]);

  // The filtered report list (what work orders are made from).
  useEffect(() => {
    let live = true;
    api
      .reports({
        cityId,
        status: filters.status || OPEN_STATUSES.join(','),
        category: filters.category || undefined,
        districtId: filters.districtId || undefined,
        from: filters.from ? `${filters.from}T00:00:00Z` : undefined,
        to: filters.to ? `${nextDay(filters.to)}T00:00:00Z` : undefined,
      })
      .then((r) => live && setReports(r))
      .catch((err: unknown) => console.error('[taza-map] reports', err));
    return () => {
      live = false;
    };
  }, [api, cityId, filters, version]);

  useEffect(() => {
    if (!routeCrew) {
      setCrewDay(null);
      return;
    }
    let live = true;
    api.crewDay(routeCrew).then(
      (d) => live && setCrewDay(d),
      (err: unknown) => console.error('[taza-map] crew day', err),
    );
    return () => {
      live = false;
    };
  }, [api, routeCrew, version]);

  // (undefined while loading; null when the server has no CCTV module)
  const toReview = queue ? (queue.incidentsToReview ?? null) : undefined;

  const listReports: MapReport[] = useMemo(
    () => (reports?.features ?? []).map((f) => ({ id: f.properties.id, status: f.properties.status, category: f.properties.category, lon: f.geometry.coordinates[0], lat: f.geometry.coordinates[1] })),
    [reports],
  );
  const mapReports: MapReport[] = useMemo(() => {
    const byId = new Map<string, MapReport>();
    for (const r of [...(queue?.toRegister ?? []), ...(queue?.reopened ?? [])]) byId.set(r.id, { id: r.id, status: r.status, category: r.category, lon: r.lon, lat: r.lat });
    for (const r of listReports) byId.set(r.id, r);
    return [...byId.values()];
  }, [queue, listReports]);

  const overlays: Overlay[] = useMemo(() => {
    const list: Overlay[] = [];
    if (cameras) list.push(camerasOverlay(cameras));
    if (hotspots) list.push(hotspotsOverlay(hotspots));
    list.push(reportsOverlay(mapReports, selected));
    if (toReview) list.push(incidentsOverlay(toReview));
    if (crewDay) list.push(routeOverlay(crewDay));
    return list;
  }, [cameras, hotspots, mapReports, selected, toReview, crewDay]);

  const rankedOutskirts = useMemo(
    () =>
      (hotspots?.features ?? [])
        .filter((f) => f.properties.outskirts && f.properties.status !== 'cleared')
        .sort((a, b) => (Number(b.properties.severity) || 0) - (Number(a.properties.severity) || 0)),
    [hotspots],
  );

  const markers: MapMarker[] = useMemo(() => {
    const list: MapMarker[] = [];
    rankedOutskirts.slice(0, 10).forEach((f, i) => {
      const c = centroidOf(f.geometry);
      if (c) list.push({ key: `hs-${f.properties.id}`, lngLat: c, label: `#${i + 1}`, className: 'staff-marker staff-marker--hotspot', title: format(s.hotspotRank, { n: String(i + 1) }) });
    });
    if (crewDay) {
      list.push({ key: 'depot', lngLat: [crewDay.crew.depot.lon, crewDay.crew.depot.lat], label: s.depotShort, className: 'staff-marker staff-marker--depot', title: s.depot, testId: 'route-depot' });
      crewDay.stops.forEach((st) =>
        list.push({
          key: `stop-${st.sequence}`,
          lngLat: [st.lon, st.lat],
          label: st.kind === 'unload' ? s.unloadShort : String(st.sequence),
          className: `staff-marker staff-marker--${st.kind}`,
          title: st.kind === 'unload' ? s.unload : format(s.stopN, { n: String(st.sequence), title: st.workOrder?.title ?? '' }),
          testId: `route-stop-${st.sequence}`,
        }),
      );
    }
    return list;
  }, [rankedOutskirts, crewDay, s]);

  const onFeatureClick = useCallback(
    (layerId: string, f: MapGeoJSONFeature) => {
      const id = String(f.properties?.id ?? '');
      if (layerId === DISPATCH_LAYERS.reports) {
        if (tab === 'reports') {
          setSelected((prev) => {
            const next = new Set(prev);
            if (next.has(id)) next.delete(id);
            else next.add(id);
            return next;
          });
        } else {
          setHighlight(id);
          if (queue?.toRegister.some((r) => r.id === id) || queue?.reopened.some((r) => r.id === id)) setTab('queue');
        }
      } else if (layerId === DISPATCH_LAYERS.hotspotFill || layerId === DISPATCH_LAYERS.hotspotPoint) {
        setHighlight(id);
        setTab('hotspots');
      } else if (layerId === DISPATCH_LAYERS.incidents) {
        setHighlight(id);
        setTab('queue');
      }
    },
    [tab, queue],
  );

  useEffect(() => {
    if (!highlight) return;
    document.querySelector(`[data-item-id="${highlight}"]`)?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }, [highlight, tab]);

  const locate = useCallback((lon: number, lat: number, key: string) => setFocus({ lon, lat, key: `${key}-${Date.now()}` }), []);

  const counts = {
    queue: (queue?.toRegister.length ?? 0) + (queue?.reopened.length ?? 0) + (queue?.overdue.length ?? 0) + (toReview?.length ?? 0),
    reports: reports?.features.length ?? 0,
    hotspots: rankedOutskirts.length,
    orders: orders.filter((o) => o.status === 'planned' || o.status === 'in_progress').length,
  };
  const tabs: { id: Tab; label: string }[] = [
    { id: 'queue', label: s.tabQueue },
    { id: 'reports', label: s.tabReports },
    { id: 'hotspots', label: s.tabHotspots },
    { id: 'orders', label: s.tabOrders },
  ];

  const districtName = (id: string) => {
    const d = districts?.features.find((f) => f.properties.id === id);
    return d ? localizedName(d.properties.name, lang) : '';
  };

  return (
    <div className="staff-page staff-page--split" data-testid="dispatch-page">
      <section className="staff-panel" aria-labelledby="dispatch-title">
        <div className="staff-panel__head">
          <h2 id="dispatch-title">{s.dispatchTitle}</h2>
          <button type="button" className="staff-button staff-button--small" onClick={reload} data-testid="dispatch-refresh">
            {s.refresh}
          </button>
        </div>
        <div className="staff-tabs" role="tablist" aria-label={s.dispatchTitle}>
          {tabs.map((x) => (
            <button
              key={x.id}
              type="button"
              role="tab"
              id={`tab-${x.id}`}
              aria-selected={tab === x.id}
              aria-controls={`tabpanel-${x.id}`}
              className="staff-tab"
              onClick={() => setTab(x.id)}
              data-testid={`tab-${x.id}`}
            >
              {x.label}
              <span className="staff-count">{counts[x.id]}</span>
            </button>
          ))}
        </div>
        <StaffNotices notice={action.notice} onDismiss={() => action.setNotice(null)} loadFailed={loadError} onRetry={reload} />
        <div className="staff-panel__body" role="tabpanel" id={`tabpanel-${tab}`} aria-labelledby={`tab-${tab}`}>
          {tab === 'queue' && (
            <>
              <QueuePanel queue={queue} others={mapReports} api={api} action={action} highlight={highlight} onLocate={locate} districtName={districtName} />
              <IncidentsPanel incidents={toReview} offline={queue?.offlineCameras ?? null} api={api} action={action} highlight={highlight} onLocate={locate} />
            </>
          )}
          {tab === 'reports' && (
            <ReportsTab
              reports={reports}
              filters={filters}
              setFilters={setFilters}
              districts={cityDistricts}
              selected={selected}
              setSelected={setSelected}
              crews={crews}
              onCreate={(crewId) =>
                action
                  .run('create-order', () => api.createWorkOrder({ reportIds: [...selected], crewId: crewId || undefined }), s.doneOrderCreated)
                  .then((ok) => {
                    if (ok) {
                      setSelected(new Set());
                      setTab('orders');
                      if (crewId) setRouteCrew(crewId);
                    }
                  })
              }
              busy={action.busy !== null}
              onLocate={locate}
              districtName={districtName}
            />
          )}
          {tab === 'hotspots' && (
            <HotspotsPanel
              hotspots={hotspots}
              ranked={rankedOutskirts}
              others={hotspots?.features.filter((f) => !f.properties.outskirts || f.properties.status === 'cleared') ?? []}
              orders={orders}
              highlight={highlight}
              busy={action.busy !== null}
              onLocate={locate}
              onCreate={(hotspotId) =>
                action.run(`hotspot-${hotspotId}`, () => api.createWorkOrder({ hotspotId }), s.doneOrderCreated).then((ok) => {
                  if (ok) setTab('orders');
                })
              }
            />
          )}
          {tab === 'orders' && (
            <WorkOrdersPanel orders={orders} crews={crews} api={api} action={action} routeCrew={routeCrew} setRouteCrew={setRouteCrew} crewDay={crewDay} onLocate={locate} />
          )}
        </div>
      </section>
      <section className="staff-mapwrap" aria-label={s.mapTitle}>
        <StaffMap
          cities={cities}
          districts={cityDistricts}
          cityId={cityId}
          overlays={overlays}
          markers={markers}
          onFeatureClick={onFeatureClick}
          focus={focus}
          label={s.mapTitle}
          testId="dispatch-map"
        />
        <DispatchLegend hasHotspots={!!hotspots} hasCameras={!!cameras?.length} hasIncidents={!!toReview} hasRoute={!!crewDay} />
      </section>
    </div>
  );
}

function centroidOf(g: GeoJSON.Geometry | null): [number, number] | null {
  if (!g) return null;
  if (g.type === 'Point') return g.coordinates as [number, number];
  const ring = g.type === 'Polygon' ? g.coordinates[0] : g.type === 'MultiPolygon' ? g.coordinates[0][0] : null;
  if (!ring?.length) return null;
  let x = 0;
  let y = 0;
  for (const [lon, lat] of ring) {
    x += lon;
    y += lat;
  }
  return [x / ring.length, y / ring.length];
}

interface ReportsTabProps {
  reports: ReportCollection | null;
  filters: ReportFilters;
  setFilters: (f: ReportFilters) => void;
  districts: DistrictCollection | null;
  selected: Set<string>;
  setSelected: (s: Set<string>) => void;
  crews: Crew[];
  onCreate: (crewId: string) => void;
  busy: boolean;
  onLocate: (lon: number, lat: number, key: string) => void;
  districtName: (id: string) => string;
}

function ReportsTab({ reports, filters, setFilters, districts, selected, setSelected, crews, onCreate, busy, onLocate, districtName }: ReportsTabProps) {
  const { t, lang } = useI18n();
  const s = useStaffStrings();
  const [crewId, setCrewId] = useState('');
  const set = (k: keyof ReportFilters) => (e: { target: { value: string } }) => setFilters({ ...filters, [k]: e.target.value });
  const features = reports?.features ?? [];
  const toggle = (id: string) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setSelected(next);
  };
  return (
    <div className="staff-section">
      <fieldset className="staff-filters">
        <legend>{s.filters}</legend>
        <label className="staff-field">
          <span>{s.filterStatus}</span>
          <select value={filters.status} onChange={set('status')} data-testid="filter-status">
            <option value="">{s.allOpen}</option>
            {OPEN_STATUSES.map((st) => (
              <option key={st} value={st}>
                {t.statuses[st]}
              </option>
            ))}
            {['resolved', 'closed', 'rejected', 'duplicate'].map((st) => (
              <option key={st} value={st}>
                {t.statuses[st]}
              </option>
            ))}
          </select>
        </label>
        <label className="staff-field">
          <span>{s.filterCategory}</span>
          <select value={filters.category} onChange={set('category')} data-testid="filter-category">
            <option value="">{s.allCategories}</option>
            {REPORT_CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {t.categories[c]}
              </option>
            ))}
          </select>
        </label>
        <label className="staff-field">
          <span>{s.filterDistrict}</span>
          <select value={filters.districtId} onChange={set('districtId')} data-testid="filter-district">
            <option value="">{s.allDistricts}</option>
            {districts?.features.map((d) => (
              <option key={d.properties.id} value={d.properties.id}>
                {localizedName(d.properties.name, lang)}
              </option>
            ))}
          </select>
        </label>
        <label className="staff-field">
          <span>{s.filterFrom}</span>
          <input type="date" value={filters.from} onChange={set('from')} data-testid="filter-from" />
        </label>
        <label className="staff-field">
          <span>{s.filterTo}</span>
          <input type="date" value={filters.to} onChange={set('to')} data-testid="filter-to" />
        </label>
      </fieldset>
      <div className="staff-create" data-testid="create-order">
        <span>{format(s.selectedCount, { n: String(selected.size) })}</span>
        <CrewSelect crews={crews} value={crewId} onChange={setCrewId} none={s.assignLater} testId="create-order-crew" />
        <button type="button" className="staff-button staff-button--primary" disabled={busy || selected.size === 0} onClick={() => onCreate(crewId)} data-testid="create-order-submit">
          {s.createOrder}
        </button>
      </div>
      <p className="staff-hint">{s.selectHint}</p>
      {reports === null ? (
        <p className="staff-empty">{s.loading}</p>
      ) : features.length === 0 ? (
        <p className="staff-empty">{s.noReports}</p>
      ) : (
        <ul className="staff-list" data-testid="report-list">
          {features.map((f) => {
            const p = f.properties;
            const open = OPEN_STATUSES.includes(p.status);
            return (
              <li key={p.id} className={`staff-item${selected.has(p.id) ? ' staff-item--selected' : ''}`} data-item-id={p.id} data-testid={`report-${p.id}`}>
                <label className="staff-check">
                  <input type="checkbox" checked={selected.has(p.id)} disabled={!open} onChange={() => toggle(p.id)} data-testid={`select-${p.id}`} />
                  <span className="staff-item__title">{t.categories[p.category] ?? p.category}</span>
                </label>
                <div className="staff-item__meta">
                  <span className={`status-chip status-chip--${p.status}`}>{t.statuses[p.status] ?? p.status}</span>
                  <span>{districtName(p.districtId)}</span>
                  <span>{formatDate(p.createdAt, lang)}</span>
                  {p.outskirts && <span className="staff-tag">{s.outskirts}</span>}
                </div>
                <div className="staff-item__row">
                  <button type="button" className="staff-link" onClick={() => onLocate(f.geometry.coordinates[0], f.geometry.coordinates[1], p.id)}>
                    {s.showOnMap}
                  </button>
                  <a className="staff-link" href={`/reports/${p.id}`} target="_blank" rel="noopener">
                    {s.openReport}
                  </a>
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}

function DispatchLegend({ hasHotspots, hasCameras, hasIncidents, hasRoute }: { hasHotspots: boolean; hasCameras: boolean; hasIncidents: boolean; hasRoute: boolean }) {
  const s = useStaffStrings();
  // Open beside a desktop map; folded on a phone, where it would cover most of the map.
  const [open] = useState(() => typeof window.matchMedia !== 'function' || !window.matchMedia('(max-width: 760px)').matches);
  return (
    <details className="staff-legend" open={open}>
      <summary>{s.legend}</summary>
      <ul>
        <li>
          <span className="swatch swatch--dot" style={{ background: '#d7301f' }} /> {s.legendNew}
        </li>
        <li>
          <span className="swatch swatch--dot" style={{ background: '#f16913' }} /> {s.legendRegistered}
        </li>
        <li>
          <span className="swatch swatch--ring" /> {s.legendSelected}
        </li>
        {hasHotspots && (
          <li>
            <span className="swatch swatch--hotspot" /> {s.legendHotspots}
          </li>
        )}
        {hasCameras && (
          <>
            <li>
              <span className="swatch swatch--camera" /> {s.legendCameras}
            </li>
            <li>
              <span className="swatch swatch--camera-off" /> {s.legendCamerasOffline}
            </li>
          </>
        )}
        {hasIncidents && (
          <li>
            <span className="swatch swatch--dot" style={{ background: '#6a1b9a' }} /> {s.legendIncidents}
          </li>
        )}
        {hasRoute && (
          <li>
            <span className="swatch swatch--route" /> {s.legendRoute}
          </li>
        )}
      </ul>
    </details>
  );
}
