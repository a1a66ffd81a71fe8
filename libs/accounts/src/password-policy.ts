import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

let common: Set<string> | undefined;

/** ~49,000 passwords seen most often in breaches, bundled with @zxcvbn-ts/language-common. */
function commonPasswords(): Set<string> {
  if (!common) {
    const { dictionary } = require('@zxcvbn-ts/language-common') as { dictionary: Record<string, string[]> };
    common = new Set(dictionary['passwords-common'].filter((p) => p.length >= PASSWORD_MIN).map((p) => p.toLowerCase()));
  }
  return common;
}

/** Returns why a password is refused, as a sentence, or null when it is acceptable. */
export function passwordProblem(password: string, context: { login?: string | null } = {}): string | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN) return `must be at least ${PASSWORD_MIN} characters long`;
  if (length > PASSWORD_MAX) return `must be at most ${PASSWORD_MAX} characters long`;
  if (commonPasswords().has(password.toLowerCase())) {
    return 'is one of the most common passwords, which attackers try first; choose another';
  }
  const login = context.login?.toLowerCase();
  if (login && (password.toLowerCase() === login || password.toLowerCase() === login.split('@')[0])) {
    return 'must not be your email address or phone number';
  }
  return null;
}
