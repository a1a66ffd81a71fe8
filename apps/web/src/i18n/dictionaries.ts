import type { Lang } from '../api/types';

/**
 * UI strings. Every user-visible string of the web app comes from here;
 * city and district names come from the API.
 * Kazakh is written in Cyrillic Kazakh.
 */
const en = {
  /** Endonym shown in the language switcher. */
  langName: 'English',
  appName: 'Taza Map',
  tagline: 'Illegal dump monitoring',
  cityPickerLabel: 'City',
  allCities: 'All cities',
  languageLabel: 'Language',
  legendTitle: 'Legend',
  legendBoundary: 'City boundary',
  legendCore: 'Built-up core',
  legendDistricts: 'Districts (akimat service areas)',
  loading: 'Loading map data…',
  loadError: 'Could not load the map data from the server. Check your connection and try again.',
  retry: 'Try again',
  dismiss: 'Dismiss',
  mapError: 'The map could not be drawn. Reload the page to try again.',
  webglUnavailable:
    'Your browser cannot show the map because WebGL 2 is not available. Try another browser or turn on hardware acceleration.',
  districtLabel: 'District',
  cityLabel: 'City',
  mapLabel: 'Map of cities and districts',
  cityMarkerHint: 'Show {city} on the map',
  // MapLibre's own control strings
  mlZoomIn: 'Zoom in',
  mlZoomOut: 'Zoom out',
  mlResetBearing: 'Reset bearing to north',
  mlToggleAttribution: 'Toggle attribution',
  mlPopupClose: 'Close popup',
};

export type Dictionary = typeof en;

const ru: Dictionary = {
  langName: 'Русский',
  appName: 'Taza Map',
  tagline: 'Мониторинг несанкционированных свалок',
  cityPickerLabel: 'Город',
  allCities: 'Все города',
  languageLabel: 'Язык',
  legendTitle: 'Условные обозначения',
  legendBoundary: 'Граница города',
  legendCore: 'Застроенная часть',
  legendDistricts: 'Районы (зоны обслуживания акиматов)',
  loading: 'Загрузка данных карты…',
  loadError: 'Не удалось загрузить данные карты с сервера. Проверьте подключение и повторите попытку.',
  retry: 'Повторить',
  dismiss: 'Скрыть',
  mapError: 'Не удалось отрисовать карту. Перезагрузите страницу.',
  webglUnavailable:
    'Ваш браузер не может показать карту: WebGL 2 недоступен. Попробуйте другой браузер или включите аппаратное ускорение.',
  districtLabel: 'Район',
  cityLabel: 'Город',
  mapLabel: 'Карта городов и районов',
  cityMarkerHint: 'Показать город {city} на карте',
  mlZoomIn: 'Приблизить',
  mlZoomOut: 'Отдалить',
  mlResetBearing: 'Повернуть на север',
  mlToggleAttribution: 'Показать или скрыть источники',
  mlPopupClose: 'Закрыть',
};

const kk: Dictionary = {
  langName: 'Қазақша',
  appName: 'Taza Map',
  tagline: 'Заңсыз қоқыс үйінділерін бақылау',
  cityPickerLabel: 'Қала',
  allCities: 'Барлық қалалар',
  languageLabel: 'Тіл',
  legendTitle: 'Шартты белгілер',
  legendBoundary: 'Қала шекарасы',
  legendCore: 'Құрылыс салынған аумақ',
  legendDistricts: 'Аудандар (әкімдіктердің қызмет көрсету аймақтары)',
  loading: 'Карта деректері жүктелуде…',
  loadError: 'Карта деректерін серверден жүктеу мүмкін болмады. Байланысты тексеріп, қайталап көріңіз.',
  retry: 'Қайталау',
  dismiss: 'Жасыру',
  mapError: 'Картаны салу мүмкін болмады. Бетті қайта жүктеңіз.',
  webglUnavailable:
    'Браузеріңіз картаны көрсете алмайды: WebGL 2 қолжетімсіз. Басқа браузерді қолданып көріңіз немесе аппараттық жеделдетуді қосыңыз.',
  districtLabel: 'Аудан',
  cityLabel: 'Қала',
  mapLabel: 'Қалалар мен аудандар картасы',
  cityMarkerHint: '{city} қаласын картада көрсету',
  mlZoomIn: 'Жақындату',
  mlZoomOut: 'Алыстату',
  mlResetBearing: 'Солтүстікке бұру',
  mlToggleAttribution: 'Дереккөздерді көрсету немесе жасыру',
  mlPopupClose: 'Жабу',
};

export const LANGS: readonly Lang[] = ['kk', 'ru', 'en'];

export const dictionaries: Record<Lang, Dictionary> = { kk, ru, en };

/** Replaces `{key}` placeholders. */
export function format(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (m, key: string) => values[key] ?? m);
}

/** Patch for MapLibre's built-in UI strings (control tooltips, popup close button). */
export function maplibreLocale(t: Dictionary): Record<string, string> {
  return {
    'Map.Title': t.mapLabel,
    'NavigationControl.ZoomIn': t.mlZoomIn,
    'NavigationControl.ZoomOut': t.mlZoomOut,
    'NavigationControl.ResetBearing': t.mlResetBearing,
    'AttributionControl.ToggleAttribution': t.mlToggleAttribution,
    'Popup.Close': t.mlPopupClose,
  };
}
