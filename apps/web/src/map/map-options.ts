import type { MapOptions } from 'maplibre-gl';
import { maplibreLocale, type Dictionary } from '../i18n/dictionaries';
import type { BBox } from '../api/types';

/** Where every map opens before it knows the city: the whole of Kazakhstan. */
export const KAZAKHSTAN_BOUNDS: BBox = [46.5, 40.5, 87.4, 55.5];

/** What every Taza map shares: flat (no rotation or pitch), translated controls, software GL accepted. */
export function flatMapOptions(t: Dictionary): Partial<MapOptions> {
  return {
    minZoom: 2,
    attributionControl: false,
    dragRotate: false,
    pitchWithRotate: false,
    touchPitch: false,
    locale: maplibreLocale(t),
    // Software GL (SwiftShader) is a "major performance caveat": it must still be accepted.
    canvasContextAttributes: { antialias: true, failIfMajorPerformanceCaveat: false },
  };
}
