import { useCallback, useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import type { CityCollection, DistrictCollection } from '../api/types';
import { localizedName } from '../api/types';
import { useAuth } from '../auth/AuthProvider';
import { FieldError, FormAlert, TextField, type FormProblem } from '../auth/FormField';
import { useI18n } from '../i18n/I18nProvider';
import { format } from '../i18n/dictionaries';
import { maplibregl } from '../map/maplibre';
import { navigate } from '../router';
import { AddressSearch } from './AddressSearch';
import { readExifGps, type GpsPosition } from './exif-gps';
import { formFailure, newIdempotencyKey } from './forms';
import { rememberToken, reportsApi, type Category, type NearbyReport } from './reports-api';
import { useSmallMap } from './useSmallMap';
import './resident.css';

const SIZES = ['bag', 'wheelbarrow', 'car', 'truck'] as const;
const WASTE_TYPES = ['plastic', 'glass', 'metal', 'paper', 'organic', 'electronic', 'hazardous'] as const;
const MAX_PHOTOS = 5;
/** The fields that show their own server message; anything else goes to the form's alert. */
const FORM_FIELDS = ['lon', 'category', 'size', 'wasteTypes', 'description', 'contactEmail', 'contactPhone', 'photos'] as const;
/** EXIF sits at the start of a JPEG; no need to read a whole 10 MB photo. */
const EXIF_BYTES = 256 * 1024;
const PIN_ZOOM = 16;

interface Photo {
  file: File;
  url: string;
  gps: GpsPosition | null;
}

interface Pin {
  lon: number;
  lat: number;
}

const coord = (v: number) => v.toFixed(5);

export function ReportPage({ cities, districts }: { cities: CityCollection | null; districts: DistrictCollection | null }) {
  const { t, lang } = useI18n();
  const r = t.res;
  const { authFetch } = useAuth();
  const containerRef = useRef<HTMLDivElement>(null);
  const { map, glUnavailable } = useSmallMap(containerRef, cities, districts);
  const markerRef = useRef<maplibregl.Marker | null>(null);
  const alertRef = useRef<HTMLDivElement>(null);
  const photoInputRef = useRef<HTMLInputElement>(null);
  const ids = useId();

  const [pin, setPin] = useState<Pin | null>(null);
  const [categories, setCategories] = useState<Category[]>([]);
  const [category, setCategory] = useState('');
  const [size, setSize] = useState('');
  const [wasteTypes, setWasteTypes] = useState<string[]>([]);
  const [description, setDescription] = useState('');
  const [contactEmail, setContactEmail] = useState('');
  const [contactPhone, setContactPhone] = useState('');
  const [photos, setPhotos] = useState<Photo[]>([]);
  const [exifSuggestion, setExifSuggestion] = useState<GpsPosition | null>(null);
  const [nearby, setNearby] = useState<NearbyReport[]>([]);
  const [confirming, setConfirming] = useState<NearbyReport | null>(null);
  const [locating, setLocating] = useState(false);
  const [locationError, setLocationError] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const [submitting, setSubmitting] = useState(false);

  useEffect(() => {
    reportsApi.categories(authFetch).then(setCategories, (err: unknown) => console.error('[taza-map] categories', err));
  }, [authFetch]);

  // Photo previews are object URLs: release them when the page goes.
  const photosRef = useRef(photos);
  photosRef.current = photos;
  useEffect(() => () => photosRef.current.forEach((p) => URL.revokeObjectURL(p.url)), []);

  const placePin = useCallback(
    (next: Pin, fly: boolean) => {
      setPin(next);
      setConfirming(null);
      setErrors((e) => ({ ...e, lon: '', lat: '' }));
      if (fly && map) map.flyTo({ center: [next.lon, next.lat], zoom: Math.max(map.getZoom(), PIN_ZOOM), duration: 600 });
    },
    [map],
  );

  // The pin: a click on the map puts it there; it can be dragged.
  useEffect(() => {
    if (!map) return;
    const onClick = (e: maplibregl.MapMouseEvent) => placePin({ lon: e.lngLat.lng, lat: e.lngLat.lat }, false);
    map.on('click', onClick);
    return () => {
      map.off('click', onClick);
    };
  }, [map, placePin]);

  useEffect(() => {
    if (!map) return;
    if (!pin) {
      markerRef.current?.remove();
      markerRef.current = null;
      return;
    }
    if (!markerRef.current) {
      const marker = new maplibregl.Marker({ draggable: true, color: '#c62828' }).setLngLat([pin.lon, pin.lat]).addTo(map);
      marker.getElement().dataset.testid = 'report-pin';
      marker.on('dragend', () => {
        const at = marker.getLngLat();
        placePin({ lon: at.lng, lat: at.lat }, false);
      });
      markerRef.current = marker;
    } else {
      markerRef.current.setLngLat([pin.lon, pin.lat]);
    }
    markerRef.current.getElement().setAttribute('aria-label', `${r.pinLabel}: ${format(r.pinAt, { lat: coord(pin.lat), lon: coord(pin.lon) })}`);
  }, [map, pin, placePin, r]);

  // Open reports near the pin, before anything is sent.
  useEffect(() => {
    if (!pin) {
      setNearby([]);
      return;
    }
    const ctrl = new AbortController();
    const timer = window.setTimeout(() => {
      reportsApi.nearby(authFetch, pin.lon, pin.lat, ctrl.signal).then(setNearby, (err: unknown) => {
        if ((err as Error).name !== 'AbortError') setNearby([]);
      });
    }, 250);
    return () => {
      window.clearTimeout(timer);
      ctrl.abort();
    };
  }, [pin, authFetch]);

  const useMyLocation = () => {
    if (!('geolocation' in navigator)) {
      setLocationError(true);
      return;
    }
    setLocating(true);
    setLocationError(false);
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        setLocating(false);
        placePin({ lon: pos.coords.longitude, lat: pos.coords.latitude }, true);
      },
      () => {
        setLocating(false);
        setLocationError(true);
      },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 },
    );
  };

  const pinAtCentre = () => {
    if (!map) return;
    const c = map.getCenter();
    placePin({ lon: c.lng, lat: c.lat }, false);
  };

  const addPhotos = async (files: FileList | null) => {
    if (!files?.length) return;
    const room = MAX_PHOTOS - photos.length;
    const chosen = [...files].slice(0, Math.max(0, room));
    setErrors((e) => ({ ...e, photos: files.length > room ? r.tooManyPhotos : '' }));
    const added = await Promise.all(
      chosen.map(async (file) => ({
        file,
        url: URL.createObjectURL(file),
        gps: readExifGps(await file.slice(0, EXIF_BYTES).arrayBuffer()),
      })),
    );
    setPhotos((list) => [...list, ...added]);
    const located = added.find((p) => p.gps)?.gps ?? null;
    if (located) {
      setExifSuggestion(located);
      // With no pin yet the photo's position is the best guess; otherwise the resident decides.
      if (!pin) placePin(located, true);
    }
    if (photoInputRef.current) photoInputRef.current.value = '';
  };

  const removePhoto = (index: number) => {
    setPhotos((list) => {
      URL.revokeObjectURL(list[index].url);
      const next = list.filter((_, i) => i !== index);
      if (!next.some((p) => p.gps)) setExifSuggestion(null);
      return next;
    });
  };

  const toggleWaste = (code: string, on: boolean) => setWasteTypes((list) => (on ? [...list, code] : list.filter((c) => c !== code)));

  const categoryName = useCallback(
    (code: string, fallback?: string) => {
      const c = categories.find((x) => x.code === code);
      return (c && localizedName(c.name, lang)) || t.categories[code] || fallback || code;
    },
    [categories, lang, t],
  );

  const validate = (): Record<string, string> => {
    const found: Record<string, string> = {};
    if (!pin && !confirming) found.lon = r.pinMissing;
    if (!confirming && !category) found.category = r.errCategoryRequired;
    if (!size) found.size = r.errSizeRequired;
    return found;
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (submitting) return;
    setProblem(null);
    const found = validate();
    setErrors(found);
    if (Object.values(found).some(Boolean)) return;
    const at = confirming ? confirming.location : pin!;
    const form = new FormData();
    form.set('lon', String(at.lon));
    form.set('lat', String(at.lat));
    form.set('category', confirming ? confirming.category.code : category);
    form.set('size', size);
    for (const w of wasteTypes) form.append('wasteTypes', w);
    if (description.trim()) form.set('description', description.trim());
    if (contactEmail.trim()) form.set('contactEmail', contactEmail.trim());
    if (contactPhone.trim()) form.set('contactPhone', contactPhone.trim());
    for (const p of photos) form.append('photos', p.file, p.file.name);
    setSubmitting(true);
    try {
      const created = await reportsApi.create(authFetch, form, newIdempotencyKey());
      const qs = new URLSearchParams({ sent: created.joined ? 'joined' : 'created' });
      if (created.trackingToken) {
        rememberToken(created.reportId, created.trackingToken);
        qs.set('token', created.trackingToken);
      }
      navigate(`/reports/${created.reportId}?${qs.toString()}`);
    } catch (err) {
      setSubmitting(false);
      const failure = formFailure(err, t, lang, FORM_FIELDS, { lat: 'lon' });
      setErrors(failure.fields);
      if (failure.alert) setProblem({ title: r.reportFailed, body: failure.alert });
      window.setTimeout(() => alertRef.current?.focus(), 0);
    }
  };

  const pinError = errors.lon || errors.lat;
  const nearbyShown = useMemo(() => nearby.filter((n) => n.id !== confirming?.id), [nearby, confirming]);

  return (
    <div className="rp" data-testid="report-page">
      <div className="rp__map-wrap">
        <div ref={containerRef} className="rp__map" data-testid="report-map" role="region" aria-label={r.pinMapLabel} />
        {glUnavailable && (
          <div className="map-unavailable" role="alert">
            <p>{t.webglUnavailable}</p>
          </div>
        )}
        <div className="rp__map-tools">
          <button type="button" className="rp-button rp-button--map" data-testid="use-location" onClick={useMyLocation} disabled={locating}>
            <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false" className="rp-button__icon">
              <path d="M12 8a4 4 0 1 0 0 8 4 4 0 0 0 0-8zm9 3h-2.07A7 7 0 0 0 13 5.07V3h-2v2.07A7 7 0 0 0 5.07 11H3v2h2.07A7 7 0 0 0 11 18.93V21h2v-2.07A7 7 0 0 0 18.93 13H21z" fill="currentColor" />
            </svg>
            {locating ? r.locating : r.useMyLocation}
          </button>
          <button type="button" className="rp-button rp-button--map" data-testid="pin-centre" onClick={pinAtCentre} disabled={!map}>
            {r.pinAtCentre}
          </button>
        </div>
        <AddressSearch map={map} onPick={(p) => placePin(p, true)} />
      </div>

      <form className="rp__panel" data-testid="report-form" onSubmit={submit} noValidate>
        <h2 className="rp__title">{r.reportTitle}</h2>
        <p className="rp__intro">{r.reportIntro}</p>

        <div className={`rp__pin${pinError ? ' rp__pin--error' : ''}`} data-testid="pin-status" aria-live="polite">
          {pinError ? pinError : pin ? format(r.pinAt, { lat: coord(pin.lat), lon: coord(pin.lon) }) : r.pinMissing}
        </div>
        {locationError && (
          <p className="rp__note rp__note--warn" role="status" data-testid="location-error">
            {r.locationUnavailable}
          </p>
        )}
        {exifSuggestion && (!pin || Math.abs(pin.lat - exifSuggestion.lat) > 1e-6 || Math.abs(pin.lon - exifSuggestion.lon) > 1e-6) && (
          <div className="rp__note" data-testid="exif-suggestion">
            <span>{format(r.exifFound, { lat: coord(exifSuggestion.lat), lon: coord(exifSuggestion.lon) })}</span>
            <button type="button" className="rp-link-button" data-testid="exif-use" onClick={() => placePin(exifSuggestion, true)}>
              {r.exifUse}
            </button>
          </div>
        )}

        {confirming && (
          <div className="rp__confirming" data-testid="confirming" role="status">
            <p className="rp__confirming-title">{r.confirmingTitle}</p>
            <p>{format(r.confirmingText, { category: categoryName(confirming.category.code, confirming.category.name), distance: String(Math.round(confirming.distanceMetres)) })}</p>
            <button type="button" className="rp-link-button" data-testid="confirming-cancel" onClick={() => setConfirming(null)}>
              {r.confirmingCancel}
            </button>
          </div>
        )}
        {nearbyShown.length > 0 && (
          <section className="rp__nearby" data-testid="nearby" aria-labelledby={`${ids}-nearby`}>
            <h3 id={`${ids}-nearby`} className="rp__section-title">
              {r.nearbyTitle}
            </h3>
            <p className="rp__hint">{r.nearbyIntro}</p>
            <ul className="rp__nearby-list">
              {nearbyShown.map((n) => (
                <li key={n.id} className="rp__nearby-item">
                  {n.media[0]?.thumbnailUrl && <img src={n.media[0].thumbnailUrl} alt="" className="rp__nearby-thumb" />}
                  <span className="rp__nearby-text">
                    {format(r.nearbyItem, {
                      category: categoryName(n.category.code, n.category.name),
                      status: t.statuses[n.status] ?? n.status,
                      distance: String(Math.round(n.distanceMetres)),
                    })}
                  </span>
                  <button type="button" className="rp-button rp-button--small" data-testid="nearby-confirm" onClick={() => setConfirming(n)}>
                    {r.nearbyConfirm}
                  </button>
                </li>
              ))}
            </ul>
          </section>
        )}

        <h3 className="rp__section-title">{r.detailsTitle}</h3>
        {!confirming && (
          <div className={`field${errors.category ? ' field--invalid' : ''}`}>
            <label className="field__label" htmlFor={`${ids}-category`}>
              {r.categoryLabel}
            </label>
            <select
              id={`${ids}-category`}
              className="field__input"
              data-testid="category"
              value={category}
              aria-invalid={errors.category ? true : undefined}
              aria-describedby={errors.category ? `${ids}-category-error` : undefined}
              onChange={(e) => {
                setCategory(e.target.value);
                setErrors((errs) => ({ ...errs, category: '' }));
              }}
            >
              <option value="">{r.categoryChoose}</option>
              {categories.map((c) => (
                <option key={c.code} value={c.code}>
                  {categoryName(c.code)}
                </option>
              ))}
            </select>
            {errors.category && <FieldError id={`${ids}-category-error`} testId="error-category" text={errors.category} />}
          </div>
        )}

        <fieldset className="rp__choices" aria-describedby={errors.size ? `${ids}-size-error` : undefined} data-testid="size">
          <legend className="field__label">{r.sizeLabel}</legend>
          <div className="rp__chips">
            {SIZES.map((s) => (
              <label key={s} className="rp__chip">
                <input type="radio" name="size" value={s} checked={size === s} onChange={() => {
                    setSize(s);
                    setErrors((errs) => ({ ...errs, size: '' }));
                  }} data-testid={`size-${s}`} />
                <span>{r.sizes[s]}</span>
              </label>
            ))}
          </div>
          {errors.size && <FieldError id={`${ids}-size-error`} testId="error-size" text={errors.size} />}
        </fieldset>

        <fieldset className="rp__choices" data-testid="waste-types">
          <legend className="field__label">{r.wasteTypesLabel}</legend>
          <div className="rp__chips">
            {WASTE_TYPES.map((w) => (
              <label key={w} className="rp__chip">
                <input type="checkbox" checked={wasteTypes.includes(w)} onChange={(e) => toggleWaste(w, e.target.checked)} data-testid={`waste-${w}`} />
                <span>{r.wasteTypes[w]}</span>
              </label>
            ))}
          </div>
          {errors.wasteTypes && <FieldError id={`${ids}-waste-error`} testId="error-wasteTypes" text={errors.wasteTypes} />}
        </fieldset>

        <div className={`field${errors.description ? ' field--invalid' : ''}`}>
          <label className="field__label" htmlFor={`${ids}-description`}>
            {r.descriptionLabel}
          </label>
          <p className="field__hint" id={`${ids}-description-hint`}>
            {r.descriptionHint}
          </p>
          <textarea
            id={`${ids}-description`}
            className="field__input rp__textarea"
            data-testid="description"
            rows={3}
            maxLength={4000}
            value={description}
            aria-describedby={`${ids}-description-hint${errors.description ? ` ${ids}-description-error` : ''}`}
            aria-invalid={errors.description ? true : undefined}
            onChange={(e) => setDescription(e.target.value)}
          />
          {errors.description && <FieldError id={`${ids}-description-error`} testId="error-description" text={errors.description} />}
        </div>

        <div className={`field${errors.photos ? ' field--invalid' : ''}`}>
          <label className="field__label" htmlFor={`${ids}-photos`}>
            {r.photosLabel}
          </label>
          <p className="field__hint" id={`${ids}-photos-hint`}>
            {r.photosHint}
          </p>
          <input
            ref={photoInputRef}
            id={`${ids}-photos`}
            className="rp__file visually-hidden"
            data-testid="photos"
            type="file"
            accept="image/jpeg,image/png,image/webp,image/heic,image/avif"
            multiple
            disabled={photos.length >= MAX_PHOTOS}
            aria-describedby={`${ids}-photos-hint${errors.photos ? ` ${ids}-photos-error` : ''}`}
            onChange={(e) => void addPhotos(e.target.files)}
          />
          {/* The browser's own file button speaks the browser's language; this one speaks ours. */}
          <label htmlFor={`${ids}-photos`} className={`rp-button rp__file-button${photos.length >= MAX_PHOTOS ? ' rp__file-button--off' : ''}`} aria-hidden="true">
            {r.addPhotos}
          </label>
          {photos.length > 0 && (
            <ul className="rp__photos" data-testid="photo-previews">
              {photos.map((p, i) => (
                <li key={p.url} className="rp__photo">
                  <img src={p.url} alt={format(r.photoAlt, { n: String(i + 1) })} />
                  <button
                    type="button"
                    className="rp__photo-remove"
                    data-testid={`remove-photo-${i}`}
                    aria-label={format(r.removePhoto, { n: String(i + 1) })}
                    title={format(r.removePhoto, { n: String(i + 1) })}
                    onClick={() => removePhoto(i)}
                  >
                    ×
                  </button>
                </li>
              ))}
            </ul>
          )}
          {errors.photos && <FieldError id={`${ids}-photos-error`} testId="error-photos" text={errors.photos} />}
        </div>

        <fieldset className="rp__contact">
          <legend className="rp__section-title">{r.contactTitle}</legend>
          <p className="field__hint">{r.contactHint}</p>
          <TextField
            label={r.contactEmailLabel}
            testId="contact-email"
            errorTestId="error-contactEmail"
            type="email"
            autoComplete="email"
            value={contactEmail}
            error={errors.contactEmail || undefined}
            onChange={(e) => setContactEmail(e.target.value)}
          />
          <TextField
            label={r.contactPhoneLabel}
            testId="contact-phone"
            errorTestId="error-contactPhone"
            type="tel"
            autoComplete="tel"
            value={contactPhone}
            error={errors.contactPhone || undefined}
            onChange={(e) => setContactPhone(e.target.value)}
          />
        </fieldset>

        {problem && <FormAlert ref={alertRef} problem={problem} />}

        <button type="submit" className="auth-form__submit" data-testid="submit-report" disabled={submitting}>
          {submitting && <span className="spinner spinner--light" aria-hidden="true" />}
          {submitting ? r.submittingReport : confirming ? r.submitConfirm : r.submitReport}
        </button>
      </form>
    </div>
  );
}
