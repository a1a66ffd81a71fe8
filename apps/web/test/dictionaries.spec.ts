import { dictionaries, LANGS } from '../src/i18n/dictionaries.js';

type Tree = { [key: string]: string | Tree };

/** Every leaf as "a.b.c" -> text. */
function leaves(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of leaves(value, path)) out.set(k, v);
  }
  return out;
}

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the kk/ru/en dictionaries of the web app', () => {
  const all = Object.fromEntries(LANGS.map((lang) => [lang, leaves(dictionaries[lang] as unknown as Tree)]));
  const union = new Set(LANGS.flatMap((lang) => [...all[lang].keys()]));

  it.each(LANGS)('%s has every key that any language has, none of them empty', (lang) => {
    const missing = [...union].filter((key) => !all[lang].has(key));
    expect(missing).toEqual([]);
    const empty = [...all[lang]].filter(([, text]) => text.trim() === '').map(([key]) => key);
    expect(empty).toEqual([]);
  });

  it.each(LANGS)('%s uses the same {placeholders} as English in every text', (lang) => {
    const wrong = [...all.en]
      .filter(([key, text]) => all[lang].has(key) && placeholders(all[lang].get(key)!).join() !== placeholders(text).join())
      .map(([key]) => key);
    expect(wrong).toEqual([]);
  });

  it('translates the resident screens: Russian and Kazakh texts differ from English', () => {
    const same = [...all.en].filter(([key, text]) => key.startsWith('res.') && /[a-z]{4}/.test(text) && all.ru.get(key) === text && all.kk.get(key) === text);
    // Only codes and units may stay the same (e.g. "Email").
    expect(same.map(([key]) => key).filter((key) => !/Email|crewIntro/.test(key))).toEqual([]);
  });
});
