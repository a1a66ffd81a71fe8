import { staffDictionaries } from '../src/i18n/staff-strings.js';

/** Every key path of a dictionary, nested objects included ("slaKinds.register"). */
function paths(o: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) => (v && typeof v === 'object' ? paths(v as Record<string, unknown>, `${prefix}${k}.`) : [`${prefix}${k}`]));
}

function valueAt(o: Record<string, unknown>, path: string): unknown {
  return path.split('.').reduce<unknown>((acc, k) => (acc as Record<string, unknown> | undefined)?.[k], o);
}

describe('staff strings', () => {
  const en = paths(staffDictionaries.en);

  it.each(['kk', 'ru'] as const)('%s has every English key, nothing more, and no empty text', (lang) => {
    const dict = staffDictionaries[lang] as unknown as Record<string, unknown>;
    expect(paths(dict).sort()).toEqual([...en].sort());
    for (const p of en) expect(String(valueAt(dict, p)).trim()).not.toBe('');
  });

  it.each(['kk', 'ru'] as const)('%s keeps the placeholders of each English text', (lang) => {
    const dict = staffDictionaries[lang] as unknown as Record<string, unknown>;
    const holes = (s: unknown) => [...String(s).matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const p of en) expect([p, holes(valueAt(dict, p))]).toEqual([p, holes(valueAt(staffDictionaries.en as unknown as Record<string, unknown>, p))]);
  });

  it('Kazakh is written in Cyrillic and differs from Russian where it should', () => {
    expect(staffDictionaries.kk.tabQueue).toBe('Кезек');
    expect(staffDictionaries.kk.dispatchTitle).not.toBe(staffDictionaries.ru.dispatchTitle);
  });
});
