import { readXml, textOf } from './testing/xml-reader.js';
import { escapeXml, xmlDocument } from './xml.js';

describe('xml writer', () => {
  it('escapes markup characters and drops characters XML 1.0 cannot carry', () => {
    expect(escapeXml(`a & b < c > d "e" 'f'`)).toBe('a &amp; b &lt; c &gt; d &quot;e&quot; &apos;f&apos;');
    expect(escapeXml('tab\tnl\ncr\r bell\u0007 nul\u0000 esc\u001b ffff\uFFFF lone\uD800 ok\u{1F5D1}')).toBe('tab\tnl\ncr\r bell nul esc ffff lone ok\u{1F5D1}');
    expect(escapeXml('&amp;')).toBe('&amp;amp;');
  });

  it('writes lists as wrapped items, null as empty elements, leaves undefined keys out, dates as ISO 8601', () => {
    const xml = xmlDocument(
      'services',
      [
        { service_code: 'a&b', metadata: true, count: 3, description: null, skipped: undefined, at: new Date('2026-01-02T03:04:05Z'), tags: ['x', 'y'] },
        { service_code: 'c' },
      ],
      { services: 'service', tags: 'tag' },
    );
    expect(xml).toBe(
      '<?xml version="1.0" encoding="utf-8"?>\n<services>' +
        '<service><service_code>a&amp;b</service_code><metadata>true</metadata><count>3</count><description/><at>2026-01-02T03:04:05.000Z</at><tags><tag>x</tag><tag>y</tag></tags></service>' +
        '<service><service_code>c</service_code></service>' +
        '</services>\n',
    );
  });

  it('reads back what it wrote, whatever the text', () => {
    const nasty = `]]> <![CDATA[ </x> &lt; \u0001 "'`;
    const root = readXml(xmlDocument('errors', [{ code: 400, description: nasty }], { errors: 'error' }));
    expect(textOf(root.children[0], 'description')).toBe(`]]> <![CDATA[ </x> &lt;  "'`);
  });

  it('refuses element names that are not XML names', () => {
    expect(() => xmlDocument('bad name', 'x')).toThrow(/not an XML element name/);
    expect(() => xmlDocument('ok', { '1st': 'x' })).toThrow(/not an XML element name/);
  });

  it('the test reader refuses what is not well-formed', () => {
    expect(() => readXml('<a><b></a></b>')).toThrow();
    expect(() => readXml('<a>x & y</a>')).toThrow(/bare "&"/);
    expect(() => readXml('<a>&nbsp;</a>')).toThrow(/unknown entity/);
    expect(() => readXml('<a></a><b/>')).toThrow(/after the root/);
    expect(() => readXml('<a>\u0001</a>')).toThrow();
    expect(() => readXml('<a>')).toThrow(/never closed/);
  });
});
