import type { ReportSize } from '../../reports/src/index.js';

export const LOCALES = ['kk', 'ru', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export type Localized = Record<Locale, string>;

/** When this Open311 implementation last changed (discovery's `changeset`). */
export const OPEN311_CHANGESET = '2026-11-23T00:00:00Z';
export const GEOREPORT_V2_SPEC = 'http://wiki.open311.org/GeoReport_v2';

/** The `size` attribute: how big the dump is (required on every service). */
export const SIZE_VALUES: Record<ReportSize, Localized> = {
  bag: { kk: 'Бір-екі қапшық', ru: 'Один-два пакета', en: 'A bag or two' },
  wheelbarrow: { kk: 'Бір арба', ru: 'Тачка', en: 'A wheelbarrow' },
  car: { kk: 'Жеңіл көлік жүгі', ru: 'Легковой автомобиль', en: 'A car load' },
  truck: { kk: 'Жүк көлігі', ru: 'Грузовик', en: 'A truck load' },
};

/** The `waste_types` attribute: what the dump holds (optional, several). Same list as reports.waste_types. */
export const WASTE_TYPE_VALUES: Record<string, Localized> = {
  plastic: { kk: 'Пластик', ru: 'Пластик', en: 'Plastic' },
  glass: { kk: 'Шыны', ru: 'Стекло', en: 'Glass' },
  metal: { kk: 'Металл', ru: 'Металл', en: 'Metal' },
  paper: { kk: 'Қағаз', ru: 'Бумага', en: 'Paper' },
  organic: { kk: 'Органикалық', ru: 'Органические', en: 'Organic' },
  electronic: { kk: 'Электроника', ru: 'Электроника', en: 'Electronics' },
  hazardous: { kk: 'Қауіпті', ru: 'Опасные', en: 'Hazardous' },
};

export const ATTRIBUTE_TEXT = {
  size: { kk: 'Қоқыс үйіндісі қандай көлемде?', ru: 'Какого размера свалка?', en: 'How big is the dump?' },
  waste_types: { kk: 'Онда қандай қалдықтар бар?', ru: 'Какие там отходы?', en: 'What kinds of waste are there?' },
} satisfies Record<string, Localized>;

export const SERVICE_GROUP = {
  dumps: { kk: 'Заңсыз қоқыс үйінділері', ru: 'Несанкционированные свалки', en: 'Illegal dumps' },
  hazardous: { kk: 'Қауіпті қалдықтар', ru: 'Опасные отходы', en: 'Hazardous waste' },
} satisfies Record<string, Localized>;

export function serviceDescription(name: string, hazardous: boolean, locale: Locale): string {
  const text: Localized = {
    kk: `${name}: аудан әкімдігі жинайтын заңсыз қоқыс үйіндісі.${hazardous ? ' Қауіпті: қолмен ұстамаңыз.' : ''}`,
    ru: `${name}: несанкционированная свалка, которую убирает акимат района.${hazardous ? ' Опасно: не трогайте руками.' : ''}`,
    en: `${name}: an illegal dump for the district akimat to clear.${hazardous ? ' Hazardous: do not touch it.' : ''}`,
  };
  return text[locale];
}
