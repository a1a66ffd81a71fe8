import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { useI18n } from '../i18n/I18nProvider';
import { useStaffStrings } from '../i18n/use-staff-strings';
import { formatDate, formatMonth } from '../dispatch/staff-format';

export interface ChartSeries {
  /** unix seconds, ascending */
  x: number[];
  /** measured fill %, null after today */
  actual: (number | null)[];
  /** forecast fill %, null before today */
  forecast: (number | null)[];
  low: (number | null)[];
  high: (number | null)[];
}

/**
 * Fill level over time: the measured line, the forecast (dashed) and its range as a band, with the
 * 90% and 100% lines. uPlot draws on a canvas, so the chart also carries a text summary for screen readers.
 */
export function ForecastChart({ data, summary }: { data: ChartSeries; summary: string }) {
  const { lang } = useI18n();
  const s = useStaffStrings();
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = ref.current;
    if (!el || data.x.length === 0) return;
    const width = () => Math.max(260, el.clientWidth);
    const line = (v: number) => data.x.map(() => v);
    const opts: uPlot.Options = {
      width: width(),
      height: 240,
      scales: { x: { time: true }, y: { range: (_u, min, max) => [Math.max(0, Math.floor((min - 10) / 10) * 10), Math.max(105, Math.ceil(max / 5) * 5)] } },
      axes: [
        { values: (_u, splits) => splits.map((v) => formatMonth(new Date(v * 1000), lang)), stroke: '#3d4a43', grid: { stroke: '#e3e8e4' } },
        { values: (_u, splits) => splits.map((v) => `${v}%`), stroke: '#3d4a43', grid: { stroke: '#e3e8e4' }, size: 48 },
      ],
      series: [
        { label: s.chartDate, value: (_u, v) => (v == null ? '—' : formatDate(new Date(v * 1000).toISOString(), lang)) },
        { label: s.chartMeasured, stroke: '#1b5e20', width: 2, value: (_u, v) => (v == null ? '—' : `${v.toFixed(1)}%`) },
        { label: s.chartForecast, stroke: '#c62828', width: 2, dash: [6, 4], value: (_u, v) => (v == null ? '—' : `${v.toFixed(1)}%`) },
        { label: s.chartHigh, stroke: 'rgba(198,40,40,0.35)', width: 1, value: (_u, v) => (v == null ? '—' : `${v.toFixed(1)}%`) },
        { label: s.chartLow, stroke: 'rgba(198,40,40,0.35)', width: 1, value: (_u, v) => (v == null ? '—' : `${v.toFixed(1)}%`) },
        { label: '90%', stroke: '#ef6c00', width: 1, dash: [2, 3], points: { show: false }, value: () => '' },
        { label: '100%', stroke: '#6d1b1b', width: 1, dash: [2, 3], points: { show: false }, value: () => '' },
      ],
      bands: [{ series: [3, 4], fill: 'rgba(198,40,40,0.14)' }],
      legend: { show: true },
      cursor: { drag: { x: false, y: false } },
    };
    const plot = new uPlot(opts, [data.x, data.actual, data.forecast, data.high, data.low, line(90), line(100)] as uPlot.AlignedData, el);
    const observer = new ResizeObserver(() => plot.setSize({ width: width(), height: 240 }));
    observer.observe(el);
    return () => {
      observer.disconnect();
      plot.destroy();
    };
  }, [data, lang, s]);

  return (
    <figure className="akim-chart">
      <div ref={ref} className="akim-chart__plot" data-testid="forecast-chart" aria-hidden="true" />
      <figcaption className="akim-chart__summary">{summary}</figcaption>
    </figure>
  );
}
