import { format } from '../i18n/dictionaries';

/** A server field message in the translated frame, e.g. "Phone: contactPhone must be a phone number". */
export function fieldText(names: Record<string, string>, frame: string, field: string, message: string): string {
  return format(frame, { field: names[field] ?? field, message: message.trim().replace(/\.$/, '') });
}

/** A fresh Idempotency-Key for one send (crypto.randomUUID needs a secure context; getRandomValues does not). */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `web-${[...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}
