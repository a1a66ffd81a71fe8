import type { Lang } from '../api/types';
import { NetworkError, ProblemError } from '../api/auth';
import { format, type Dictionary } from '../i18n/dictionaries';

/** "Too many attempts. Try again in N minutes." in the UI language. */
export function tooManyAttemptsText(t: Dictionary, lang: Lang, retryAfterSeconds: number | null): string {
  if (retryAfterSeconds === null || !Number.isFinite(retryAfterSeconds)) return t.tooManyAttemptsLater;
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  let category: string = 'other';
  try {
    category = new Intl.PluralRules(lang).select(minutes);
  } catch {
    // very old browser: 'other'
  }
  const forms = t.tooManyAttempts;
  const template = forms[category as keyof typeof forms] ?? forms.other;
  return format(template, { n: new Intl.NumberFormat(lang).format(minutes) });
}

/** A server field message inside the translated frame ("Password: must be at least 8 characters long"). */
export function fieldProblemText(t: Dictionary, field: string, message: string): string {
  const name = t.fieldNames[field] ?? field;
  return format(t.fieldProblem, { field: name, message: message.trim().replace(/\.$/, '') });
}

/** The sentence for the form alert when the failure isn't about one field. */
export function problemSentence(t: Dictionary, lang: Lang, err: unknown): string {
  if (err instanceof NetworkError) return t.networkError;
  if (err instanceof ProblemError) {
    if (err.status === 429) return tooManyAttemptsText(t, lang, err.retryAfterSeconds);
    if (err.detail) return err.detail;
  }
  return t.unexpectedError;
}
