import { MAX_WINDOW_DAYS, parseIsoDate, parseRequestsQuery, parseServiceRequest, parseUpdatesQuery } from './open311-input.js';
import { Open311Error } from './open311.errors.js';

const NOW = new Date('2026-11-23T12:00:00Z');
const DAY = 86_400_000;
const fieldsOf = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (err) {
    if (err instanceof Open311Error) return err.errors.map((e) => e.field);
    throw err;
  }
  return [];
};

describe('Open311 POST requests fields', () => {
  const base = { api_key: 'k', service_code: 'household', lat: '43.25', long: '76.93', 'attribute[size]': 'car' };

  it('reads the form: attributes by their form names, repeated waste types, contacts', () => {
    const { value, problems } = parseServiceRequest({
      ...base, 'attribute[waste_types][]': ['plastic', 'glass', 'plastic'], description: '  bags  ', email: 'a@b.kz', phone: '+7 701 000 00 00', first_name: 'A', media_url: 'http://x/y.jpg',
    });
    expect(problems).toEqual([]);
    expect(value).toEqual({ serviceCode: 'household', lat: 43.25, lon: 76.93, size: 'car', wasteTypes: ['plastic', 'glass'], description: 'bags', email: 'a@b.kz', phone: '+7 701 000 00 00' });
  });

  it('takes a JSON body with a nested attribute map too', () => {
    const { value } = parseServiceRequest({ service_code: 'tyres', lat: 43.25, long: 76.93, attribute: { size: 'bag', waste_types: ['metal'] } });
    expect(value).toMatchObject({ size: 'bag', wasteTypes: ['metal'], lat: 43.25 });
  });

  it('names every bad field at once', () => {
    const { value, problems } = parseServiceRequest({ lat: '95', long: 'x', 'attribute[size]': 'ship', 'attribute[colour]': 'red', 'attribute[waste_types]': 'lava', email: 'no', phone: 'call me' });
    expect(value).toBeNull();
    expect(problems.map((p) => p.field).sort()).toEqual(['attribute[colour]', 'attribute[size]', 'attribute[waste_types]', 'email', 'lat', 'long', 'phone', 'service_code'].sort());
  });

  it('refuses an address without a point, and a point given twice', () => {
    expect(parseServiceRequest({ service_code: 'household', address_string: 'Abay 1', 'attribute[size]': 'car' }).problems).toEqual([
      { field: 'address_string', message: 'address lookup not supported, send lat/long' },
    ]);
    expect(parseServiceRequest({ service_code: 'household', 'attribute[size]': 'car' }).problems.map((p) => p.field)).toEqual(['lat', 'long']);
    expect(parseServiceRequest({ ...base, lat: ['43.2', '43.3'] }).problems).toEqual([{ field: 'lat', message: 'give it once' }]);
    expect(parseServiceRequest({ ...base, long: undefined }).problems.map((p) => p.field)).toEqual(['long']);
  });
});

describe('Open311 GET requests filters', () => {
  it('defaults to the last 90 days, 50 a page, English', () => {
    const { filter, locale } = parseRequestsQuery({}, NOW);
    expect(locale).toBe('en');
    expect(filter).toEqual({ from: new Date(NOW.getTime() - MAX_WINDOW_DAYS * DAY), to: NOW, limit: 50, offset: 0, serviceCodes: undefined });
  });

  it('reaches 90 days from a start_date alone, or back from an end_date alone; refuses a longer or reversed span', () => {
    expect(parseRequestsQuery({ start_date: '2026-01-01' }, NOW).filter).toMatchObject({ from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-04-01T00:00:00Z') });
    expect(parseRequestsQuery({ end_date: '2026-04-01T00:00:00+06:00' }, NOW).filter).toMatchObject({ to: new Date('2026-03-31T18:00:00Z') });
    expect(fieldsOf(() => parseRequestsQuery({ start_date: '2026-01-01', end_date: '2026-04-02' }, NOW))).toEqual(['end_date']);
    expect(fieldsOf(() => parseRequestsQuery({ start_date: '2026-02-01', end_date: '2026-01-01' }, NOW))).toEqual(['end_date']);
    expect(fieldsOf(() => parseRequestsQuery({ start_date: 'last week' }, NOW))).toEqual(['start_date']);
  });

  it('maps open/closed to our statuses', () => {
    expect(parseRequestsQuery({ status: 'open' }, NOW).filter.statuses).toEqual(['submitted', 'registered', 'in_progress', 'resolved']);
    expect(parseRequestsQuery({ status: 'closed' }, NOW).filter.statuses).toEqual(['closed', 'rejected', 'duplicate']);
    expect(parseRequestsQuery({ status: 'open,closed' }, NOW).filter.statuses).toBeUndefined();
    expect(fieldsOf(() => parseRequestsQuery({ status: 'resolved' }, NOW))).toEqual(['status']);
  });

  it('lets service_request_id override every other filter', () => {
    const id = '6f1c2a7e-8f9b-4c1d-9e2f-3a4b5c6d7e8f';
    expect(parseRequestsQuery({ service_request_id: `${id},${id}`, status: 'open', page: '3' }, NOW).filter).toEqual({ ids: [id], limit: 1, offset: 0 });
    expect(fieldsOf(() => parseRequestsQuery({ service_request_id: '42' }, NOW))).toEqual(['service_request_id']);
  });

  it('pages, and searches around a point', () => {
    expect(parseRequestsQuery({ page: '3', page_size: '20' }, NOW).filter).toMatchObject({ limit: 20, offset: 40 });
    expect(fieldsOf(() => parseRequestsQuery({ page_size: '201', page: '0' }, NOW)).sort()).toEqual(['page', 'page_size']);
    expect(parseRequestsQuery({ lat: '43.2', long: '76.9' }, NOW).filter.near).toEqual({ lat: 43.2, lon: 76.9, radius: 1000 });
    expect(fieldsOf(() => parseRequestsQuery({ radius: '100' }, NOW))).toEqual(['lat', 'long']);
    expect(fieldsOf(() => parseRequestsQuery({ locale: 'fr' }, NOW))).toEqual(['locale']);
  });

  it('servicerequestupdates takes the same window', () => {
    expect(parseUpdatesQuery({}, NOW)).toEqual({ from: new Date(NOW.getTime() - MAX_WINDOW_DAYS * DAY), to: NOW, limit: 50, offset: 0 });
  });

  it('parses ISO 8601 forms clients send', () => {
    expect(parseIsoDate('2026-05-01T10:00:00Z')).toEqual(new Date('2026-05-01T10:00:00Z'));
    expect(parseIsoDate('2026-05-01T10:00:00+0600')).toEqual(new Date('2026-05-01T04:00:00Z'));
    expect(parseIsoDate('2026-05-01 10:00')).not.toBeNull();
    expect(parseIsoDate('2026-13-01')).toBeNull();
    expect(parseIsoDate('01/05/2026')).toBeNull();
  });
});
