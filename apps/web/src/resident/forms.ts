import { ProblemError } from '../api/auth';
import type { Lang } from '../api/types';
import { problemSentence } from '../auth/problems';
import { format, type Dictionary } from '../i18n/dictionaries';

/** A server field message in the translated frame, e.g. "Phone: contactPhone must be a phone number". */
export function fieldText(names: Record<string, string>, frame: string, field: string, message: string): string {
  return format(frame, { field: names[field] ?? field, message: message.trim().replace(/\.$/, '') });
}

/**
 * A failed send as a form shows it: the server's field problems under the fields the form has
 * (`shown`, with `alias` mapping a server field onto the form's), everything else as the alert sentence.
 */
export function formFailure(
  err: unknown,
  t: Dictionary,
  lang: Lang,
  shown: readonly string[],
  alias: Record<string, string> = {},
): { fields: Record<string, string>; alert: string | null } {
  if (!(err instanceof ProblemError) || !err.errors.length) return { fields: {}, alert: problemSentence(t, lang, err) };
  const fields: Record<string, string> = {};
  const rest: string[] = [];
  for (const fe of err.errors) {
    const text = fieldText(t.res.fieldNames, t.fieldProblem, fe.field, fe.message);
    const field = alias[fe.field] ?? fe.field;
    if (shown.includes(field)) fields[field] = fields[field] ? `${fields[field]} ${text}` : text;
    else rest.push(text);
  }
  return { fields, alert: rest.length ? rest.join(' ') : null };
}

/** A fresh Idempotency-Key for one send (crypto.randomUUID needs a secure context; getRandomValues does not). */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `web-${[...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}
