import { CameraSecretBox } from './camera-secret-box.js';
import { canonicalRequest, signatureMatches, signatureOf, timestampFresh } from './camera-signature.js';
import { incidentBodyHash, parseIncident } from './incident-input.js';

// The worked example of docs/cameras.md: if this changes, the vendors' documentation is wrong.
const EXAMPLE = {
  method: 'POST',
  path: '/api/v1/incidents',
  timestamp: '1796094930',
  nonce: 'f3a9c2d17b4e4b1a9d0c5e6f7a8b9c0d',
  body: Buffer.from('{"eventId":"evt-0001","occurredAt":"2026-12-01T03:15:00Z","confidence":0.91,"class":"vehicle_unloading"}'),
};

describe('camera request signing (DESIGN.md)', () => {
  it('signs the documented worked example to the documented signature', () => {
    expect(canonicalRequest(EXAMPLE)).toBe(
      'POST\n/api/v1/incidents\n1796094930\nf3a9c2d17b4e4b1a9d0c5e6f7a8b9c0d\nf465568b199e436b92445fa0f2e9d405204500c50d547ede6f08b3d5890aa5cc',
    );
    expect(signatureOf('taza-demo-camera-secret-almaty-1', EXAMPLE)).toBe('769d6b6c6b0b59f5b219a804ff6e69aeb36248b493ae699b37cecb837a014542');
  });

  it('refuses another secret, a flipped body byte, another path or nonce, and malformed signatures', () => {
    const good = signatureOf('s3cret-one', EXAMPLE);
    expect(signatureMatches('s3cret-one', EXAMPLE, good)).toBe(true);
    expect(signatureMatches('s3cret-one', EXAMPLE, good.toUpperCase())).toBe(true);
    expect(signatureMatches('s3cret-two', EXAMPLE, good)).toBe(false);
    const flipped = Buffer.from(EXAMPLE.body);
    flipped[10] ^= 1;
    expect(signatureMatches('s3cret-one', { ...EXAMPLE, body: flipped }, good)).toBe(false);
    expect(signatureMatches('s3cret-one', { ...EXAMPLE, path: '/api/v1/incidents?x=1' }, good)).toBe(false);
    expect(signatureMatches('s3cret-one', { ...EXAMPLE, nonce: 'another-nonce-0000' }, good)).toBe(false);
    expect(signatureMatches('s3cret-one', EXAMPLE, good.slice(0, 63))).toBe(false);
    expect(signatureMatches('s3cret-one', EXAMPLE, 'z'.repeat(64))).toBe(false);
  });

  it('accepts clocks up to 300 s apart either way, not 301', () => {
    const now = 1_800_000_000_000;
    expect(timestampFresh(1_800_000_300, now)).toBe(true);
    expect(timestampFresh(1_799_999_700, now)).toBe(true);
    expect(timestampFresh(1_800_000_301, now)).toBe(false);
    expect(timestampFresh(1_799_999_699, now)).toBe(false);
  });
});

describe('camera secrets at rest', () => {
  it('round-trips under its key, fails under another, never stores the plain secret', () => {
    const box = new CameraSecretBox('11'.repeat(32));
    const sealed = box.seal('taza-demo-camera-secret-almaty-1');
    expect(sealed.includes(Buffer.from('taza-demo'))).toBe(false);
    expect(box.open(sealed)).toBe('taza-demo-camera-secret-almaty-1');
    expect(() => new CameraSecretBox('22'.repeat(32)).open(sealed)).toThrow();
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 1] ^= 1;
    expect(() => box.open(tampered)).toThrow();
  });
});

describe('incident input', () => {
  const now = Date.parse('2026-12-01T03:20:00Z');
  const ok = { eventId: 'evt-1', occurredAt: '2026-12-01T03:15:00Z', confidence: 0.9, class: 'dumping' };

  it('takes a good incident, with or without a position, JSON or multipart text', () => {
    expect(parseIncident(ok, now)).toEqual({ input: { ...ok, occurredAt: new Date(ok.occurredAt), class: 'dumping', position: null } });
    const multipart = parseIncident({ ...ok, confidence: '0.9', lon: '76.9', lat: '43.2' }, now);
    expect('input' in multipart && multipart.input.position).toEqual({ lon: 76.9, lat: 43.2 });
  });

  it('names every bad field', () => {
    const fields = (raw: unknown, prefix = '') => {
      const r = parseIncident(raw, now, prefix);
      return 'problems' in r ? r.problems.map((p) => p.field) : [];
    };
    expect(fields({ ...ok, occurredAt: '2026-12-01T03:25:01Z' })).toEqual(['occurredAt']);
    expect(fields({ ...ok, occurredAt: '2026-12-01T03:24:59Z' })).toEqual([]);
    expect(fields({ ...ok, occurredAt: '2026-11-24T03:19:00Z' })).toEqual(['occurredAt']);
    expect(fields({ ...ok, occurredAt: '2026-12-01 03:15' })).toEqual(['occurredAt']);
    expect(fields({ ...ok, confidence: 1.01 })).toEqual(['confidence']);
    expect(fields({ ...ok, confidence: -0.1 })).toEqual(['confidence']);
    expect(fields({ ...ok, class: 'cat' })).toEqual(['class']);
    expect(fields({ ...ok, eventId: '' })).toEqual(['eventId']);
    expect(fields({ ...ok, position: { lon: 200, lat: 43 } })).toEqual(['position.lon']);
    expect(fields({ ...ok, plate: 'A123' }, 'incidents[4].')).toEqual(['incidents[4].plate']);
  });

  it('hashes the meaning of a body, not its spelling', () => {
    const a = parseIncident(ok, now);
    const b = parseIncident({ class: 'dumping', confidence: '0.90', occurredAt: '2026-12-01T08:15:00+05:00', eventId: 'evt-1' }, now);
    const c = parseIncident({ ...ok, confidence: 0.91 }, now);
    if (!('input' in a) || !('input' in b) || !('input' in c)) throw new Error('valid input refused');
    expect(incidentBodyHash(a.input).equals(incidentBodyHash(b.input))).toBe(true);
    expect(incidentBodyHash(a.input).equals(incidentBodyHash(c.input))).toBe(false);
    expect(incidentBodyHash(a.input).equals(incidentBodyHash(a.input, { snapshot: Buffer.from('x') }))).toBe(false);
  });
});
