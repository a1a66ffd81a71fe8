/**
 * The emails a reporter gets when their report moves. Residents write in Kazakh, Russian or English and
 * we do not know which they read, so every message carries all three, Kazakh first.
 */
export interface ReportChange {
  reportId: string;
  to: 'registered' | 'in_progress' | 'resolved' | 'closed' | 'rejected' | 'duplicate';
  categoryName: { kk: string; ru: string; en: string };
  note: string | null;
  duplicateOf: string | null;
  publicUrl: string;
}

const STATUS: Record<ReportChange['to'], { kk: string; ru: string; en: string }> = {
  registered: { kk: 'тіркелді', ru: 'зарегистрирована', en: 'registered' },
  in_progress: { kk: 'жұмыс басталды', ru: 'в работе', en: 'in progress' },
  resolved: { kk: 'орындалды', ru: 'выполнена', en: 'resolved' },
  closed: { kk: 'жабылды', ru: 'закрыта', en: 'closed' },
  rejected: { kk: 'қабылданбады', ru: 'отклонена', en: 'rejected' },
  duplicate: { kk: 'қайталама деп белгіленді', ru: 'отмечена как дубликат', en: 'marked as a duplicate' },
};

export function reportStatusEmail(c: ReportChange): { subject: string; body: string } {
  const s = STATUS[c.to];
  const link = `${c.publicUrl.replace(/\/$/, '')}/reports/${c.reportId}`;
  const lines = [
    `Сіздің өтінішіңіз (${c.categoryName.kk}) ${s.kk}.`,
    `Ваша заявка (${c.categoryName.ru}) ${s.ru}.`,
    `Your report (${c.categoryName.en}) is ${s.en}.`,
    '',
  ];
  if (c.note) lines.push(c.note, '');
  if (c.to === 'resolved') {
    lines.push(
      'Жұмысты 14 күн ішінде 1-ден 5-ке дейін бағалаңыз; 3-тен төмен баға өтінішті қайтарады.',
      'Оцените работу от 1 до 5 в течение 14 дней; оценка ниже 3 вернёт заявку в работу.',
      'Please rate the work 1-5 within 14 days; a rating below 3 sends it back.',
      '',
    );
  }
  if (c.to === 'duplicate' && c.duplicateOf) lines.push(`${c.publicUrl.replace(/\/$/, '')}/reports/${c.duplicateOf}`, '');
  lines.push(link);
  return { subject: `Taza Map: ${s.kk} / ${s.ru} / ${s.en}`, body: lines.join('\n') };
}
