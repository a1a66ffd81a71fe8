#!/usr/bin/env node
// A pretend CCTV analytics box: signs and sends heartbeats and incidents to a Taza Map API the way
// docs/cameras.md tells camera vendors to. Stand-alone on purpose: its signing is written here from the
// documentation (Node's crypto and fetch only) and shares no code with the server's verifier.
//
//   node infra/camera-sim.mjs [--url http://localhost:3000] [--key demo-almaty-1]
//        [--secret taza-demo-camera-secret-almaty-1] [--count 5] [--every 2] [--confidence 0.6]
//        [--class dumping] [--batch 0] [--snapshot path.jpg]
//
// --count incidents, one every --every seconds (or all in one batch request with --batch N per request);
// --confidence a number, or "random" (0.3-1.0: some are auto-confirmed, the rest wait for review).
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values: a } = parseArgs({
  options: {
    url: { type: 'string', default: 'http://localhost:3000' },
    key: { type: 'string', default: 'demo-almaty-1' },
    secret: { type: 'string', default: 'taza-demo-camera-secret-almaty-1' },
    count: { type: 'string', default: '5' },
    every: { type: 'string', default: '2' },
    confidence: { type: 'string', default: 'random' },
    class: { type: 'string', default: 'dumping' },
    batch: { type: 'string', default: '0' },
    snapshot: { type: 'string' },
  },
});

const base = a.url.replace(/\/+$/, '');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const say = (line) => process.stdout.write(`[camera ${a.key}] ${line}\n`);

/** The signing headers of docs/cameras.md for one request. */
function sign(method, path, body) {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = randomBytes(16).toString('base64url');
  const bodyHash = createHash('sha256').update(body).digest('hex');
  const toSign = `${method}\n${path}\n${timestamp}\n${nonce}\n${bodyHash}`;
  const signature = createHmac('sha256', a.secret).update(toSign, 'utf8').digest('hex');
  return { 'X-Camera-Key': a.key, 'X-Timestamp': timestamp, 'X-Nonce': nonce, 'X-Signature': signature };
}

/** Sends a signed request; retries network errors and 5xx with backoff (the same body and event id are safe to resend). */
async function send(path, body, contentType) {
  for (let attempt = 1; ; attempt++) {
    const headers = sign('POST', path, body);
    if (contentType) headers['Content-Type'] = contentType;
    try {
      const res = await fetch(base + path, { method: 'POST', headers, body: body.length ? body : undefined });
      const text = await res.text();
      if (res.status < 500 || attempt >= 5) return { status: res.status, text };
    } catch (err) {
      if (attempt >= 5) throw err;
      say(`network error (${err.message}); retrying`);
    }
    await sleep(500 * 2 ** attempt);
  }
}

function confidence() {
  if (a.confidence === 'random') return Math.round((0.3 + Math.random() * 0.7) * 100) / 100;
  return Number(a.confidence);
}

function incident(n) {
  return { eventId: `sim-${a.key}-${Date.now()}-${n}`, occurredAt: new Date().toISOString(), confidence: confidence(), class: a.class };
}

/** A multipart body with the incident's fields and a JPEG snapshot, built by hand. */
function multipart(fields, jpeg) {
  const boundary = `----taza-sim-${randomBytes(8).toString('hex')}`;
  const parts = Object.entries(fields).map(([k, v]) => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="snapshot"; filename="snapshot.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`), jpeg, Buffer.from(`\r\n--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

const hb = await send('/api/v1/cameras/heartbeat', Buffer.alloc(0));
say(`heartbeat -> ${hb.status} ${hb.text}`);
if (hb.status !== 200) process.exit(1);

const count = Number(a.count);
const batch = Number(a.batch);
const jpeg = a.snapshot ? readFileSync(a.snapshot) : null;
if (batch > 0) {
  for (let from = 0; from < count; from += batch) {
    const items = Array.from({ length: Math.min(batch, count - from) }, (_, i) => incident(from + i));
    const res = await send('/api/v1/incidents:batch', Buffer.from(JSON.stringify({ incidents: items })), 'application/json');
    const out = JSON.parse(res.text);
    say(`batch of ${items.length} -> ${res.status} created ${out.created} duplicate ${out.duplicate} rejected ${out.rejected}`);
  }
} else {
  for (let n = 0; n < count; n++) {
    const item = incident(n);
    const { body, contentType } = jpeg ? multipart({ ...item, confidence: String(item.confidence) }, jpeg) : { body: Buffer.from(JSON.stringify(item)), contentType: 'application/json' };
    const res = await send('/api/v1/incidents', body, contentType);
    say(`${item.eventId} (${item.class}, confidence ${item.confidence}) -> ${res.status} ${res.text}`);
    if (n < count - 1) await sleep(Number(a.every) * 1000);
  }
}
