import { useEffect, useState } from 'react';
import { useI18n } from '../i18n/I18nProvider';
import { loadMapStyle } from './base-style';
import { HOTSPOT_COLORS, LANDFILL_COLORS, type OverlayId } from './overlay-layers';

/** Legend rows of the hotspots and landfills layers, for the layers the map actually shows. */
export function OverlayLegend() {
  const { t } = useI18n();
  const r = t.res;
  const [overlays, setOverlays] = useState<OverlayId[]>([]);
  useEffect(() => {
    let live = true;
    void loadMapStyle().then((c) => live && setOverlays(c.overlays));
    return () => {
      live = false;
    };
  }, []);
  return (
    <>
      {overlays.includes('hotspots') && (
        <>
          <div className="legend__subtitle">{r.legendHotspots}</div>
          <ul className="legend__items" data-testid="legend-hotspots">
            {(['active', 'recurring', 'cleared'] as const).map((status) => (
              <li key={status}>
                <span
                  className="legend__swatch legend__swatch--fill"
                  style={{ background: `${HOTSPOT_COLORS[status]}40`, borderColor: HOTSPOT_COLORS[status], borderStyle: 'dashed' }}
                  aria-hidden="true"
                />
                {r.hotspotStatuses[status]}
              </li>
            ))}
          </ul>
        </>
      )}
      {overlays.includes('landfills') && (
        <>
          <div className="legend__subtitle">{r.legendLandfills}</div>
          <ul className="legend__items" data-testid="legend-landfills">
            {(['ok', 'warn', 'critical'] as const).map((level) => (
              <li key={level}>
                <span className="legend__swatch legend__swatch--fill" style={{ background: `${LANDFILL_COLORS[level]}73`, borderColor: LANDFILL_COLORS[level] }} aria-hidden="true" />
                {r.landfillLevels[level]}
              </li>
            ))}
            <li>
              <span className="legend__swatch legend__swatch--fill" style={{ background: `${LANDFILL_COLORS.none}73`, borderColor: LANDFILL_COLORS.none }} aria-hidden="true" />
              {r.landfillNoData} / {r.landfillClosed}
            </li>
          </ul>
        </>
      )}
    </>
  );
}
