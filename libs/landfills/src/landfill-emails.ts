import type { AlertLevel } from './landfill-alert-rules.js';

const LEVEL: Record<AlertLevel, { kk: string; ru: string; en: string }> = {
  warning: { kk: '80 %-дан асты (ескерту)', ru: 'заполнен более чем на 80 % (предупреждение)', en: 'is over 80 % full (warning)' },
  critical: { kk: '90 %-дан асты (қауіпті)', ru: 'заполнен более чем на 90 % (критично)', en: 'is over 90 % full (critical)' },
  emergency: { kk: '95 %-дан асты (төтенше)', ru: 'заполнен более чем на 95 % (чрезвычайно)', en: 'is over 95 % full (emergency)' },
  full_within_year: { kk: 'бір жыл ішінде толады', ru: 'заполнится в течение года', en: 'will be full within a year' },
};

export interface AlertMail {
  landfillName: string;
  landfillId: string;
  levels: AlertLevel[];
  fillPercent: number;
  fullOn: string | null;
  reminder: boolean;
  publicUrl: string;
}

/** The email akims get for new (or re-sent) alerts of one landfill: Kazakh, Russian and English. */
export function landfillAlertEmail(m: AlertMail): { subject: string; body: string } {
  const fill = m.fillPercent.toFixed(1);
  const top = LEVEL[m.levels[0]];
  const lines: string[] = [];
  if (m.reminder) lines.push('Еске салу: ескерту әлі расталмаған. / Напоминание: тревога ещё не подтверждена. / Reminder: this alert is not acknowledged yet.', '');
  for (const level of m.levels) {
    const t = LEVEL[level];
    lines.push(`${m.landfillName}: ${t.kk}.`, `${m.landfillName}: ${t.ru}.`, `${m.landfillName} ${t.en}.`, '');
  }
  lines.push(`Толуы / Заполнение / Fill level: ${fill} %`);
  if (m.fullOn) lines.push(`Болжам бойынша 100 % / Прогноз 100 % / Forecast 100 %: ${m.fullOn}`);
  lines.push('', 'Растаңыз және ескертпе жазыңыз / Подтвердите и оставьте комментарий / Acknowledge with a note:', `${m.publicUrl.replace(/\/$/, '')}/landfills/${m.landfillId}`);
  return { subject: `Taza Map: ${m.landfillName} ${fill} % — ${top.en}`, body: lines.join('\n') };
}
