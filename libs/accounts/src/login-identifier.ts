/**
 * Kazakh mobile numbers: +7 7xx xxx xx xx in any common spelling (spaces, dashes, brackets, a leading 8
 * or 7) become E.164 `+77xxxxxxxxx`. Returns null when the text is not such a number.
 */
export function normaliseKazakhMobile(input: string): string | null {
  const trimmed = input.trim();
  if (!/^[+\d\s()-]+$/.test(trimmed)) return null;
  let digits = trimmed.replace(/\D/g, '');
  if (digits.length === 11 && (digits.startsWith('8') || digits.startsWith('7'))) digits = `7${digits.slice(1)}`;
  else if (digits.length === 10) digits = `7${digits}`;
  else return null;
  // Kazakh mobile ranges start with 7 after the country code (70x, 747, 75x, 76x, 77x, 78x).
  if (!/^77\d{9}$/.test(digits)) return null;
  return `+${digits}`;
}

export function normaliseEmail(input: string): string | null {
  const email = input.trim().toLowerCase();
  if (email.length > 254 || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) return null;
  return email;
}

export type LoginIdentifier = { kind: 'email'; value: string } | { kind: 'phone'; value: string };

/** A sign-in login is an email or a Kazakh mobile number. */
export function parseLogin(input: string): LoginIdentifier | null {
  if (input.includes('@')) {
    const email = normaliseEmail(input);
    return email ? { kind: 'email', value: email } : null;
  }
  const phone = normaliseKazakhMobile(input);
  return phone ? { kind: 'phone', value: phone } : null;
}
