/**
 * A strict reader for the element-only XML our Open311 endpoints write, for tests: it throws on anything
 * that is not well-formed (unbalanced or crossed tags, a bare `&` or `<`, unknown entities, characters XML
 * forbids, content after the root) and returns the tree.
 */
export interface XmlElement {
  name: string;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*/;
const BAD_CHAR = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

function decode(raw: string, at: number): string {
  if (raw.includes('<')) throw new Error(`bare "<" at ${at}`);
  return raw.replace(/&([^;]*);?/g, (whole, name: string) => {
    if (!whole.endsWith(';')) throw new Error(`bare "&" at ${at}`);
    if (name in ENTITIES) return ENTITIES[name];
    const num = /^#(x[0-9a-fA-F]+|[0-9]+)$/.exec(name);
    if (!num) throw new Error(`unknown entity &${name}; at ${at}`);
    return String.fromCodePoint(num[1].startsWith('x') ? parseInt(num[1].slice(1), 16) : Number(num[1]));
  });
}

export function readXml(xml: string): XmlElement {
  if (BAD_CHAR.test(xml)) throw new Error('a character XML 1.0 does not allow');
  let i = 0;
  const decl = /^<\?xml\s+version="1\.0"(\s+encoding="[A-Za-z0-9_-]+")?\s*\?>/.exec(xml);
  if (decl) i = decl[0].length;
  const skipSpace = () => {
    while (i < xml.length && /\s/.test(xml[i])) i++;
  };
  const parseElement = (): XmlElement => {
    if (xml[i] !== '<') throw new Error(`expected "<" at ${i}`);
    const name = NAME.exec(xml.slice(i + 1))?.[0];
    if (!name) throw new Error(`bad element name at ${i}`);
    i += 1 + name.length;
    skipSpace();
    if (xml.startsWith('/>', i)) {
      i += 2;
      return { name, children: [], text: '' };
    }
    if (xml[i] !== '>') throw new Error(`attributes or junk in <${name}> at ${i}`);
    i++;
    const el: XmlElement = { name, children: [], text: '' };
    for (;;) {
      const next = xml.indexOf('<', i);
      if (next < 0) throw new Error(`<${name}> is never closed`);
      const chunk = xml.slice(i, next);
      el.text += decode(chunk, i);
      i = next;
      if (xml.startsWith('</', i)) {
        const close = `</${name}>`;
        if (!xml.startsWith(close, i)) throw new Error(`<${name}> closed by ${xml.slice(i, xml.indexOf('>', i) + 1)} at ${i}`);
        i += close.length;
        if (el.children.length && el.text.trim()) throw new Error(`<${name}> mixes text and elements`);
        if (el.children.length) el.text = '';
        return el;
      }
      el.children.push(parseElement());
    }
  };
  skipSpace();
  const root = parseElement();
  skipSpace();
  if (i !== xml.length) throw new Error(`content after the root element at ${i}`);
  return root;
}

/** The children named `name` (or all children). */
export function childrenOf(el: XmlElement, name?: string): XmlElement[] {
  return name ? el.children.filter((c) => c.name === name) : el.children;
}

/** A leaf element's text by name: `textOf(request, 'status')`. */
export function textOf(el: XmlElement, name: string): string | undefined {
  return el.children.find((c) => c.name === name)?.text;
}
