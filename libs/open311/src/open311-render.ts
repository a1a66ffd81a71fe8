import type { FieldProblem } from '../../core/src/index.js';
import { xmlDocument, type XmlValue } from './xml.js';

export const OPEN311_FORMATS = ['json', 'xml'] as const;
export type Open311Format = (typeof OPEN311_FORMATS)[number];

export function isOpen311Format(format: string): format is Open311Format {
  return (OPEN311_FORMATS as readonly string[]).includes(format);
}

/** The element that wraps each item of a list in GeoReport v2 XML (and the mySociety updates). */
const ITEMS = {
  services: 'service',
  service_requests: 'request',
  service_request_updates: 'request_update',
  attributes: 'attribute',
  values: 'value',
  endpoints: 'endpoint',
  formats: 'format',
  errors: 'error',
};

export interface Rendered {
  contentType: string;
  body: string;
}

/**
 * One response in the asked format: XML under `root` (`<services><service>...`); JSON as is, or as
 * `{"<root>": value}` with `wrapJson` (the mySociety updates).
 */
export function renderOpen311(
  format: Open311Format,
  root: keyof typeof ITEMS | 'service_definition' | 'discovery',
  value: XmlValue,
  options: { wrapJson?: boolean } = {},
): Rendered {
  if (format === 'xml') return { contentType: 'text/xml; charset=utf-8', body: xmlDocument(root, value, ITEMS) };
  return { contentType: 'application/json; charset=utf-8', body: JSON.stringify(options.wrapJson ? { [root]: value } : value) };
}

/** The spec's error body: `[{code, description}]`, one per bad field. */
export function renderOpen311Errors(format: Open311Format, status: number, message: string, problems: FieldProblem[]): Rendered {
  const errors = problems.length ? problems.map((p) => ({ code: status, description: `${p.field}: ${p.message}` })) : [{ code: status, description: message }];
  return renderOpen311(format, 'errors', errors);
}
