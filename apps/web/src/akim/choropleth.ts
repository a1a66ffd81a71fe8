import type { ExpressionSpecification } from 'maplibre-gl';

/** Five classes from light to dark over [min, max]; `invert` when a high value is good. */
export function choropleth(values: Map<string, number | null>, invert = false): { expr: ExpressionSpecification | null; breaks: number[] } {
  const nums = [...values.values()].filter((v): v is number => v !== null && Number.isFinite(v));
  if (!nums.length) return { expr: null, breaks: [] };
  const min = Math.min(...nums);
  const max = Math.max(...nums);
  const breaks = [0, 1, 2, 3, 4].map((i) => min + ((max - min) * i) / 5);
  const classOf = (v: number) => (max === min ? 2 : Math.min(4, Math.floor(((v - min) / (max - min)) * 5)));
  const pairs: string[] = [];
  for (const [id, v] of values) {
    if (v === null || !Number.isFinite(v)) continue;
    const c = classOf(v);
    pairs.push(id, CHOROPLETH[invert ? 4 - c : c]);
  }
  if (!pairs.length) return { expr: null, breaks };
  return { expr: ['match', ['get', 'id'], ...pairs, NO_DATA] as unknown as ExpressionSpecification, breaks };
}

export const CHOROPLETH = ['#fff5eb', '#fdd0a2', '#fd8d3c', '#d94801', '#7f2704'] as const;
export const NO_DATA = '#d9d9d9';
