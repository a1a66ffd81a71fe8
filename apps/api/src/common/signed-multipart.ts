import { ReportsErrors } from '../../../../libs/reports/src/index.js';
import type { MultipartForm } from './multipart.js';

/**
 * Parses a multipart body that was already read whole (camera-signed routes keep the raw bytes for the
 * signature, so @fastify/multipart's stream is spent). Node's fetch implementation does the parsing.
 */
export async function parseBufferedMultipart(raw: Buffer, contentType: string, fileFields: string[]): Promise<MultipartForm> {
  let form: FormData;
  try {
    form = await new Response(new Blob([new Uint8Array(raw)]), { headers: { 'content-type': contentType } }).formData();
  } catch {
    throw ReportsErrors.field('form', 'the upload is incomplete or malformed; send it again');
  }
  const result: MultipartForm = { fields: {}, files: [] };
  for (const [name, value] of (form as unknown as { entries(): Iterable<[string, string | Blob]> }).entries()) {
    if (typeof value === 'string') {
      const existing = result.fields[name];
      result.fields[name] = existing === undefined ? value : [...[existing].flat(), value];
    } else {
      if (!fileFields.includes(name)) throw ReportsErrors.field(name, `is not a file field; send files as ${fileFields.join(' or ')}`);
      if (result.files.some((f) => f.field === name)) throw ReportsErrors.field(name, 'send one file at most');
      result.files.push({ field: name, bytes: Buffer.from(await value.arrayBuffer()) });
    }
  }
  return result;
}
