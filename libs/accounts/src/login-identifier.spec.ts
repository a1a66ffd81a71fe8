import { normaliseEmail, normaliseKazakhMobile, parseLogin } from './login-identifier.js';
import { passwordProblem } from './password-policy.js';
import { canManageCity, canReadCity, readableCities, type UserPrincipal } from './principal.js';

describe('Kazakh mobile numbers', () => {
  it.each([
    ['+7 701 234 56 78', '+77012345678'],
    ['87012345678', '+77012345678'],
    ['8 (747) 123-45-67', '+77471234567'],
    ['77771234567', '+77771234567'],
    ['7071234567', '+77071234567'],
  ])('%s becomes %s', (input, e164) => {
    expect(normaliseKazakhMobile(input)).toBe(e164);
  });

  it.each(['+7 495 123 45 67', '+1 202 555 0100', '12345', 'seven', '+7 701 234 56 789'])('refuses %s', (input) => {
    expect(normaliseKazakhMobile(input)).toBeNull();
  });

  it('tells emails from phones when signing in', () => {
    expect(parseLogin(' Aigerim@Mail.KZ ')).toEqual({ kind: 'email', value: 'aigerim@mail.kz' });
    expect(parseLogin('8 701 234 56 78')).toEqual({ kind: 'phone', value: '+77012345678' });
    expect(parseLogin('nobody')).toBeNull();
    expect(normaliseEmail('a@b')).toBeNull();
  });
});

describe('password policy', () => {
  it('wants 8 to 128 characters', () => {
    expect(passwordProblem('short1!')).toMatch(/at least 8/);
    expect(passwordProblem('x'.repeat(129))).toMatch(/at most 128/);
    expect(passwordProblem('a quiet steppe at dawn')).toBeNull();
  });

  it('refuses common passwords, whatever the case, and says why', () => {
    expect(passwordProblem('password123')).toMatch(/most common passwords/);
    expect(passwordProblem('QWERTYUIOP')).toMatch(/most common passwords/);
    expect(passwordProblem('taza-demo-2026')).toBeNull();
  });

  it('refuses the login itself as the password', () => {
    expect(passwordProblem('aigerim@mail.kz', { login: 'aigerim@mail.kz' })).toMatch(/must not be your email/);
  });
});

describe('scopes', () => {
  const base: UserPrincipal = { kind: 'user', userId: 'u', sessionId: 's', role: 'dispatcher', cityId: 'almaty', districtIds: [] };

  it('lets a dispatcher read and manage only their city, and only their districts when limited', () => {
    expect(canReadCity(base, 'almaty')).toBe(true);
    expect(canReadCity(base, 'astana')).toBe(false);
    expect(canManageCity(base, 'almaty', 'medeu')).toBe(true);
    const limited = { ...base, districtIds: ['medeu'] };
    expect(canManageCity(limited, 'almaty', 'medeu')).toBe(true);
    expect(canManageCity(limited, 'almaty', 'auezov')).toBe(false);
  });

  it('lets akims read but never manage; a national akim reads every city', () => {
    const akim = { ...base, role: 'akim' as const };
    expect(canReadCity(akim, 'almaty')).toBe(true);
    expect(canManageCity(akim, 'almaty')).toBe(false);
    const national = { ...akim, cityId: null };
    expect(canReadCity(national, 'kostanay')).toBe(true);
    expect(readableCities(national)).toBeNull();
    expect(readableCities(akim)).toEqual(['almaty']);
  });

  it('gives residents no staff reads and admins every city', () => {
    expect(canReadCity({ ...base, role: 'resident', cityId: null }, 'almaty')).toBe(false);
    expect(canReadCity({ ...base, role: 'admin', cityId: null }, 'almaty')).toBe(true);
    expect(canReadCity(null, 'almaty')).toBe(false);
  });
});
