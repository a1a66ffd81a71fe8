/**
 * A small XML 1.0 writer for the Open311 documents: element-only trees with text leaves. No attributes,
 * no namespaces, no mixed content: the GeoReport v2 formats need none of them.
 */

/** Characters XML 1.0 does not allow anywhere (C0 controls other than tab/LF/CR, lone surrogates, U+FFFE/U+FFFF). */
const NOT_XML_CHAR = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Text as XML character data: markup characters escaped, characters XML cannot carry removed. */
export function escapeXml(text: string): string {
  return text.replace(NOT_XML_CHAR, '').replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

export type XmlScalar = string | number | boolean | null | undefined;
export type XmlValue = XmlScalar | Date | XmlValue[] | { [key: string]: XmlValue };

/**
 * How a list is written: the element that wraps each item of a list-valued key (e.g. `attributes` ->
 * `attribute`). A list without an entry here repeats its own key for each item.
 */
export type XmlItemNames = Record<string, string>;

function text(value: XmlScalar | Date): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  return escapeXml(String(value));
}

function element(name: string, value: XmlValue, items: XmlItemNames): string {
  if (!NAME.test(name)) throw new Error(`not an XML element name: ${name}`);
  if (Array.isArray(value)) {
    const item = items[name];
    if (!item) return value.map((v) => element(name, v, items)).join('');
    return `<${name}>${value.map((v) => element(item, v, items)).join('')}</${name}>`;
  }
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    const inner = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => element(k, v, items))
      .join('');
    return inner ? `<${name}>${inner}</${name}>` : `<${name}/>`;
  }
  const body = text(value);
  return body === '' ? `<${name}/>` : `<${name}>${body}</${name}>`;
}

/**
 * A whole document: `root` holding `value`. Lists become wrapped items (`<services><service>...`),
 * objects become child elements in key order, null/undefined become empty elements (undefined keys of an
 * object are left out), dates are ISO 8601.
 */
export function xmlDocument(root: string, value: XmlValue, items: XmlItemNames = {}): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n${element(root, value, items)}\n`;
}
