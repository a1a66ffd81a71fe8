import type { MediaRow, ReportRow } from './reports.repository.js';
import { OPEN311_OPEN } from './report-lifecycle.js';

export type Audience = 'public' | 'reporter' | 'staff';

export interface MediaView {
  id: string;
  kind: 'photo' | 'video';
  stage: 'before' | 'after';
  url: string;
  thumbnailUrl: string | null;
  width: number | null;
  height: number | null;
}

export function mediaView(m: MediaRow): MediaView {
  return {
    id: m.id,
    kind: m.kind,
    stage: m.stage,
    url: `/api/v1/media/${m.id}`,
    thumbnailUrl: m.thumbKey ? `/api/v1/media/${m.id}/thumbnail` : null,
    width: m.width,
    height: m.height,
  };
}

/**
 * What each audience sees of a report. Public: never the reporter, contacts, IP, the EXIF flag or the
 * rating comment. The reporter adds their own contact and comment; staff in scope add the flag.
 */
export function reportView(r: ReportRow, media: MediaRow[], audience: Audience) {
  const showMedia = audience !== 'public' || r.status !== 'rejected';
  const base = {
    id: r.id,
    status: r.status,
    open311Status: OPEN311_OPEN.includes(r.status) ? 'open' : 'closed',
    category: { code: r.categoryCode, name: r.categoryName },
    size: r.size,
    wasteTypes: r.wasteTypes,
    description: r.description,
    location: { lon: r.lon, lat: r.lat },
    cityId: r.cityId,
    districtId: r.districtId,
    outskirts: r.outskirts,
    source: r.source,
    confirmations: r.confirmations,
    reopenCount: r.reopenCount,
    escalated: r.escalatedAt !== null,
    createdAt: r.createdAt,
    registeredAt: r.registeredAt,
    inProgressAt: r.inProgressAt,
    resolvedAt: r.resolvedAt,
    closedAt: r.closedAt,
    resolutionNote: r.resolutionNote,
    rejectionReason: r.rejectionReason,
    duplicateOf: r.duplicateOf,
    rating: r.rating,
    media: showMedia ? media.map(mediaView) : [],
  };
  if (audience === 'public') return base;
  const reporter = { ...base, contactEmail: r.contactEmail, contactPhone: r.contactPhone, ratingComment: r.ratingComment };
  if (audience === 'reporter') return reporter;
  return { ...reporter, exifGpsFar: r.exifGpsFar };
}

/** A GeoJSON feature with public fields only (lists and maps). */
export function reportFeature(r: ReportRow) {
  return {
    type: 'Feature' as const,
    id: r.id,
    geometry: { type: 'Point' as const, coordinates: [r.lon, r.lat] },
    properties: {
      id: r.id,
      status: r.status,
      category: r.categoryCode,
      categoryName: r.categoryName,
      size: r.size,
      wasteTypes: r.wasteTypes,
      description: r.description,
      cityId: r.cityId,
      districtId: r.districtId,
      outskirts: r.outskirts,
      confirmations: r.confirmations,
      createdAt: r.createdAt,
      resolvedAt: r.resolvedAt,
    },
  };
}
