import { useState } from 'react';
import { useI18n } from '../i18n/I18nProvider';
import { OverlayLegend } from '../map/OverlayLegend';
import { CELL_COLORS, COLORS, DISTRICT_PALETTE, STATUS_COLORS } from '../map/offline-style';

const OWN_STATUS_ITEMS = ['submitted', 'registered', 'in_progress', 'resolved'] as const;

function initiallyOpen(): boolean {
  // Collapsed on phones so it doesn't cover the map.
  return typeof window.matchMedia !== 'function' || window.matchMedia('(min-width: 640px)').matches;
}

export function Legend() {
  const { t } = useI18n();
  const [open, setOpen] = useState(initiallyOpen);
  return (
    <details
      className="legend"
      data-testid="legend"
      open={open}
      onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}
    >
      <summary className="legend__title">{t.legendTitle}</summary>
      <ul className="legend__items">
        <li>
          <span className="legend__swatch legend__swatch--line" style={{ borderColor: COLORS.boundary }} aria-hidden="true" />
          {t.legendBoundary}
        </li>
        <li>
          <span
            className="legend__swatch legend__swatch--fill"
            style={{ background: COLORS.core, borderColor: COLORS.coreLine, borderStyle: 'dashed' }}
            aria-hidden="true"
          />
          {t.legendCore}
        </li>
        <li>
          <span
            className="legend__swatch legend__swatch--fill"
            style={{
              background: `linear-gradient(135deg, ${DISTRICT_PALETTE[0]}66 0 33%, ${DISTRICT_PALETTE[1]}66 33% 66%, ${DISTRICT_PALETTE[2]}66 66%)`,
              borderColor: COLORS.districtLine,
            }}
            aria-hidden="true"
          />
          {t.legendDistricts}
        </li>
      </ul>
      <div className="legend__subtitle">{t.legendReports}</div>
      <ul className="legend__items" data-testid="legend-statuses">
        {OWN_STATUS_ITEMS.map((status) => (
          <li key={status}>
            <span className="legend__swatch legend__swatch--dot" style={{ background: STATUS_COLORS[status] }} aria-hidden="true" />
            {t.statuses[status]}
          </li>
        ))}
        <li>
          <span className="legend__swatch legend__swatch--dot" style={{ background: STATUS_COLORS.closed }} aria-hidden="true" />
          {t.legendClosedGroup}
        </li>
        <li>
          <span
            className="legend__swatch legend__swatch--cells"
            style={{ background: `linear-gradient(90deg, ${CELL_COLORS.open}, ${CELL_COLORS.mixed}, ${CELL_COLORS.closed})` }}
            aria-hidden="true"
          />
          {t.legendCells}
        </li>
      </ul>
      <OverlayLegend />
    </details>
  );
}
