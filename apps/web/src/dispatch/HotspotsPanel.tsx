import type { Feature, Geometry } from 'geojson';
import { useI18n } from '../i18n/I18nProvider';
import { format } from '../i18n/dictionaries';
import { useStaffStrings } from '../i18n/use-staff-strings';
import type { HotspotCollection, HotspotProps, WorkOrder } from './staff-api';
import { formatDateTime, formatNumber } from './staff-format';

interface HotspotsPanelProps {
  /** undefined: loading; null: this server has no hotspots module. */
  hotspots: HotspotCollection | null | undefined;
  ranked: Feature<Geometry, HotspotProps>[];
  others: Feature<Geometry, HotspotProps>[];
  orders: WorkOrder[];
  highlight: string | null;
  busy: boolean;
  onLocate: (lon: number, lat: number, key: string) => void;
  onCreate: (hotspotId: string) => void;
}

function pointOf(f: Feature<Geometry, HotspotProps>): [number, number] | null {
  const c = f.properties.centroid;
  return c ? [c.lon, c.lat] : null;
}

/** Outskirts hotspots ranked by severity, each one click away from a work order. */
export function HotspotsPanel({ hotspots, ranked, others, orders, highlight, busy, onLocate, onCreate }: HotspotsPanelProps) {
  const { lang } = useI18n();
  const s = useStaffStrings();
  if (hotspots === undefined) return <p className="staff-empty">{s.loading}</p>;
  if (hotspots === null) return <p className="staff-empty">{s.moduleMissing}</p>;
  const activeOrder = (id: string) => orders.find((o) => o.hotspotId === id && (o.status === 'planned' || o.status === 'in_progress'));

  const row = (f: Feature<Geometry, HotspotProps>, rank: number | null) => {
    const p = f.properties;
    const at = pointOf(f);
    const order = activeOrder(p.id);
    const reports = p.reportCount;
    const incidents = p.incidentCount;
    const volume = p.volumeM3;
    return (
      <li key={p.id} className={`staff-item${highlight === p.id ? ' staff-item--highlight' : ''}`} data-item-id={p.id} data-testid={`hotspot-${p.id}`}>
        <div className="staff-item__row">
          <span className="staff-item__title">
            {rank !== null && <span className="staff-rank">#{rank}</span>} {format(s.severity, { n: formatNumber(p.severity, lang, 1) })}
          </span>
          <span className={`staff-tag${p.status === 'recurring' ? ' staff-tag--danger' : ''}`}>{s.hotspotStatuses[p.status] ?? p.status}</span>
        </div>
        <div className="staff-item__meta">
          <span>{format(s.hotspotReports, { n: String(reports) })}</span>
          {incidents > 0 && <span>{format(s.hotspotIncidents, { n: String(incidents) })}</span>}
          <span>{format(s.volume, { n: formatNumber(volume, lang, 1) })}</span>
          {p.outskirts && <span className="staff-tag">{s.outskirts}</span>}
          {!p.coveredByCamera && <span className="staff-tag staff-tag--warn">{s.noCamera}</span>}
          {p.lastSeenAt && <span>{format(s.lastSeen, { when: formatDateTime(p.lastSeenAt, lang) })}</span>}
        </div>
        <div className="staff-item__row">
          {at && (
            <button type="button" className="staff-link" onClick={() => onLocate(at[0], at[1], p.id)}>
              {s.showOnMap}
            </button>
          )}
          {order ? (
            <span className="staff-tag staff-tag--ok">{format(s.hasOrder, { title: order.title })}</span>
          ) : (
            p.status !== 'cleared' && (
              <button type="button" className="staff-button staff-button--primary" disabled={busy} onClick={() => onCreate(p.id)} data-testid={`hotspot-order-${p.id}`}>
                {s.createOrderFromHotspot}
              </button>
            )
          )}
        </div>
      </li>
    );
  };

  return (
    <div className="staff-section">
      <h3 className="staff-h3">
        {s.hotspotsOutskirts} <span className="staff-count">{ranked.length}</span>
      </h3>
      {ranked.length === 0 ? <p className="staff-empty">{s.noHotspots}</p> : <ol className="staff-list" data-testid="hotspot-list">{ranked.map((f, i) => row(f, i + 1))}</ol>}
      {others.length > 0 && (
        <details className="staff-more">
          <summary>{format(s.hotspotsOther, { n: String(others.length) })}</summary>
          <ul className="staff-list">{others.map((f) => row(f, null))}</ul>
        </details>
      )}
    </div>
  );
}
