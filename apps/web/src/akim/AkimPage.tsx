import { useCallback, useEffect, useMemo, useState } from 'react';
import type { CityCollection, DistrictCollection } from '../api/types';
import { useI18n } from '../i18n/I18nProvider';
import { format } from '../i18n/dictionaries';
import { useStaffStrings } from '../i18n/use-staff-strings';
import { useStaffApi, type CameraSuggestion, type DistrictFigures, type LandfillAlert, type LandfillCollection, type SlaFlag } from '../dispatch/staff-api';
import { StaffGate } from '../dispatch/StaffGate';
import { OverdueItems, StaffNotices } from '../dispatch/StaffParts';
import { formatNumber } from '../dispatch/staff-format';
import { useStaffAction } from '../dispatch/use-staff-action';
import '../dispatch/staff.css';
import { CameraSuggestions } from './CameraSuggestions';
import { DistrictFiguresPanel } from './DistrictFiguresPanel';
import { LandfillsPanel } from './LandfillsPanel';
import { alertViews, landfillViews } from './landfill-view';

interface PageProps {
  cities: CityCollection | null;
  districts: DistrictCollection | null;
}

export function AkimPage({ cities, districts }: PageProps) {
  const s = useStaffStrings();
  return (
    <StaffGate roles={['akim', 'admin']} cities={cities} title={s.akimTitle}>
      {(cityId) => <AkimDashboard key={cityId} cityId={cityId} cities={cities} districts={districts} />}
    </StaffGate>
  );
}

function AkimDashboard({ cityId, cities, districts }: PageProps & { cityId: string }) {
  const { lang } = useI18n();
  const s = useStaffStrings();
  const api = useStaffApi();
  const [version, setVersion] = useState(0);
  const reload = useCallback(() => setVersion((v) => v + 1), []);
  const action = useStaffAction(reload);
  const [figures, setFigures] = useState<DistrictFigures[] | null>(null);
  const [landfills, setLandfills] = useState<LandfillCollection | null | undefined>(undefined);
  const [alerts, setAlerts] = useState<LandfillAlert[] | null | undefined>(undefined);
  const [suggestions, setSuggestions] = useState<CameraSuggestion[] | null | undefined>(undefined);
  const [overdue, setOverdue] = useState<SlaFlag[] | null>(null);
  const [loadError, setLoadError] = useState(false);

  useEffect(() => {
    let live = true;
    setLoadError(false);
    api.districtStats(cityId).then(
      (f) => live && setFigures(f),
      (err: unknown) => {
        console.error('[taza-map] district figures', err);
        if (live) setLoadError(true);
      },
    );
    api.overdue(cityId).then((o) => live && setOverdue(o), () => live && setOverdue([]));
    api.landfills(cityId).then((l) => live && setLandfills(l), () => live && setLandfills(null));
    api.landfillAlerts(cityId).then((a) => live && setAlerts(a), () => live && setAlerts(null));
    api.cameraSuggestions(cityId).then((c) => live && setSuggestions(c === null ? null : c.suggestions), () => live && setSuggestions(null));
    return () => {
      live = false;
    };
  }, [api, cityId, version]);

  const views = useMemo(() => landfillViews(landfills ?? null, cityId), [landfills, cityId]);
  const alertList = useMemo(() => (alerts ? alertViews(alerts, views) : alerts), [alerts, views]);
  const cityDistricts = useMemo(() => (districts ? { ...districts, features: districts.features.filter((f) => f.properties.cityId === cityId) } : null), [districts, cityId]);
  const cityFigures = useMemo(() => figures?.filter((f) => f.cityId === cityId) ?? null, [figures, cityId]);

  return (
    <div className="staff-page staff-page--dashboard" data-testid="akim-page">
      <div className="staff-panel__head akim-head">
        <h2>{s.akimTitle}</h2>
        <button type="button" className="staff-button staff-button--small" onClick={reload}>
          {s.refresh}
        </button>
      </div>
      <StaffNotices notice={action.notice} onDismiss={() => action.setNotice(null)} loadFailed={loadError} onRetry={reload} />
      <LandfillsPanel landfills={landfills === undefined ? undefined : landfills === null ? null : views} alerts={alertList} api={api} action={action} />
      <DistrictFiguresPanel figures={cityFigures} cities={cities} districts={cityDistricts} cityId={cityId} />
      <section className="akim-card" aria-labelledby="akim-overdue">
        <h3 id="akim-overdue" className="staff-h3">
          {s.queueOverdue} <span className="staff-count">{overdue?.length ?? 0}</span>
        </h3>
        {overdue === null ? (
          <p className="staff-empty">{s.loading}</p>
        ) : overdue.length === 0 ? (
          <p className="staff-empty">{s.queueOverdueEmpty}</p>
        ) : (
          <OverdueItems flags={overdue.slice(0, 20)} testId="akim-overdue" />
        )}
        {overdue && overdue.length > 20 && <p className="staff-hint">{format(s.andMore, { n: formatNumber(overdue.length - 20, lang, 0) })}</p>}
      </section>
      <CameraSuggestions suggestions={suggestions} cities={cities} districts={cityDistricts} cityId={cityId} />
    </div>
  );
}
