import { useState } from 'react';
import { useI18n } from '../i18n/I18nProvider';
import { format } from '../i18n/dictionaries';
import { useStaffStrings } from '../i18n/use-staff-strings';
import type { Crew, CrewDay, StaffApi, WorkOrder } from './staff-api';
import { formatDate, formatKm, formatNumber } from './staff-format';
import { CrewSelect } from './StaffParts';
import type { useStaffAction } from './use-staff-action';

interface WorkOrdersPanelProps {
  orders: WorkOrder[];
  crews: Crew[];
  api: StaffApi;
  action: ReturnType<typeof useStaffAction>;
  routeCrew: string;
  setRouteCrew: (id: string) => void;
  crewDay: CrewDay | null;
  onLocate: (lon: number, lat: number, key: string) => void;
}

const ORDER_RANK: Record<string, number> = { planned: 0, in_progress: 1, done: 2, cancelled: 3 };

/** Work orders (assign a crew) and each crew's route for the day. */
export function WorkOrdersPanel({ orders, crews, api, action, routeCrew, setRouteCrew, crewDay, onLocate }: WorkOrdersPanelProps) {
  const { lang } = useI18n();
  const s = useStaffStrings();
  const sorted = [...orders].sort((a, b) => ORDER_RANK[a.status] - ORDER_RANK[b.status] || b.priority - a.priority);

  return (
    <div className="staff-section">
      <h3 className="staff-h3">{s.routeTitle}</h3>
      <label className="staff-field staff-field--inline">
        <span>{s.crewLabel}</span>
        <select value={routeCrew} onChange={(e) => setRouteCrew(e.target.value)} data-testid="route-crew">
          <option value="">{s.chooseCrew}</option>
          {crews.map((c) => (
            <option key={c.id} value={c.id}>
              {format(s.crewOption, { name: c.name, capacity: formatNumber(c.capacityM3, lang, 1) })}
            </option>
          ))}
        </select>
      </label>
      {crewDay && (
        <div className="staff-route" data-testid="route-summary">
          <p>
            {format(s.routeSummary, {
              date: formatDate(crewDay.date, lang),
              stops: String(crewDay.stops.filter((x) => x.kind === 'stop').length),
              distance: formatKm(crewDay.totalDistanceMetres, lang),
              unloads: String(crewDay.unloads),
            })}
          </p>
          {crewDay.stops.length === 0 ? (
            <p className="staff-empty">{s.routeEmpty}</p>
          ) : (
            <ol className="staff-stops" data-testid="route-stops">
              {crewDay.stops.map((st) => (
                <li key={st.sequence} className={`staff-stop staff-stop--${st.kind}`}>
                  <span className="staff-stop__n">{st.kind === 'unload' ? s.unloadShort : st.sequence}</span>
                  <span className="staff-stop__text">{st.kind === 'unload' ? s.unload : st.workOrder?.title}</span>
                  <span className="staff-stop__km">{formatKm(st.distanceMetres, lang)}</span>
                </li>
              ))}
            </ol>
          )}
        </div>
      )}

      <h3 className="staff-h3">
        {s.ordersTitle} <span className="staff-count">{orders.length}</span>
      </h3>
      {sorted.length === 0 ? (
        <p className="staff-empty">{s.noOrders}</p>
      ) : (
        <ul className="staff-list" data-testid="order-list">
          {sorted.map((o) => (
            <OrderItem key={o.id} order={o} crews={crews} api={api} action={action} onLocate={onLocate} onShowRoute={setRouteCrew} />
          ))}
        </ul>
      )}
    </div>
  );
}

function OrderItem({ order, crews, api, action, onLocate, onShowRoute }: { order: WorkOrder; crews: Crew[]; api: StaffApi; action: ReturnType<typeof useStaffAction>; onLocate: WorkOrdersPanelProps['onLocate']; onShowRoute: (id: string) => void }) {
  const { lang } = useI18n();
  const s = useStaffStrings();
  const [crewId, setCrewId] = useState(order.crewId ?? '');
  const busy = action.busy !== null;
  const assign = async () => {
    if (!crewId) return;
    if (await action.run(`assign-${order.id}`, () => api.assign(order.id, crewId), s.doneAssigned)) onShowRoute(crewId);
  };
  return (
    <li className={`staff-item staff-item--order-${order.status}`} data-item-id={order.id} data-testid={`order-${order.id}`}>
      <div className="staff-item__row">
        <span className="staff-item__title">{order.title}</span>
        <span className={`staff-tag staff-tag--order-${order.status}`} data-testid="order-status">
          {s.orderStatuses[order.status] ?? order.status}
        </span>
      </div>
      <div className="staff-item__meta">
        <span>{formatDate(order.scheduledFor, lang)}</span>
        <span>{format(s.orderReports, { n: String(order.reports.length) })}</span>
        <span>{format(s.volume, { n: formatNumber(order.estimatedVolumeM3, lang, 1) })}</span>
        <span>{format(s.priority, { n: String(order.priority) })}</span>
        {order.hotspotId && <span className="staff-tag">{s.fromHotspot}</span>}
        {order.followUpOf && <span className="staff-tag staff-tag--warn">{s.followUp}</span>}
      </div>
      <div className="staff-item__row">
        <span data-testid="order-crew">{order.crewName ? format(s.crewIs, { name: order.crewName }) : s.noCrew}</span>
        <button type="button" className="staff-link" onClick={() => onLocate(order.location.lon, order.location.lat, order.id)}>
          {s.showOnMap}
        </button>
      </div>
      {order.status === 'planned' && (
        <div className="staff-inline-form staff-inline-form--row">
          <CrewSelect crews={crews} value={crewId} onChange={setCrewId} none={s.chooseCrew} testId="assign-crew" />
          <button type="button" className="staff-button staff-button--primary" disabled={busy || !crewId || crewId === order.crewId} onClick={() => void assign()} data-testid="assign-submit">
            {s.assign}
          </button>
        </div>
      )}
    </li>
  );
}
