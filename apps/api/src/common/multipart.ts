import type { FastifyRequest } from 'fastify';
import { ReportsErrors } from '../../../../libs/reports/src/index.js';

export interface UploadedFile {
  field: string;
  bytes: Buffer;
}

export interface MultipartForm {
  fields: Record<string, string | string[]>;
  files: UploadedFile[];
}

interface Part {
  type: 'file' | 'field';
  fieldname: string;
  value?: unknown;
  toBuffer?: () => Promise<Buffer>;
  file?: NodeJS.ReadableStream & { truncated?: boolean };
}

type MultipartRequest = FastifyRequest & { isMultipart(): boolean; parts(options?: Record<string, unknown>): AsyncIterableIterator<Part> };

export function isMultipart(request: FastifyRequest): boolean {
  return typeof (request as MultipartRequest).isMultipart === 'function' && (request as MultipartRequest).isMultipart();
}

/**
 * Reads a whole multipart form into memory within limits. Files are named `<field>[<n>]` so an error
 * can point at the exact upload. Limits: `maxFiles` files of at most `maxFileBytes` each.
 */
export async function readMultipart(request: FastifyRequest, limits: { maxFiles: number; maxFileBytes: number; fileFields: string[] }): Promise<MultipartForm> {
  const fields: Record<string, string | string[]> = {};
  const files: UploadedFile[] = [];
  const counters = new Map<string, number>();
  try {
    for await (const part of (request as MultipartRequest).parts({ limits: { files: limits.maxFiles, fileSize: limits.maxFileBytes, fields: 40, fieldSize: 32 * 1024, parts: limits.maxFiles + 40 } })) {
      if (part.type === 'file') {
        if (!limits.fileFields.includes(part.fieldname)) throw ReportsErrors.field(part.fieldname, `is not a file field; send files as ${limits.fileFields.join(' or ')}`);
        const n = counters.get(part.fieldname) ?? 0;
        counters.set(part.fieldname, n + 1);
        const bytes = await part.toBuffer!();
        files.push({ field: `${part.fieldname}[${n}]`, bytes });
      } else {
        const value = String(part.value ?? '');
        const existing = fields[part.fieldname];
        fields[part.fieldname] = existing === undefined ? value : [...[existing].flat(), value];
      }
    }
  } catch (err) {
    const e = err as { code?: string; message?: string; statusCode?: number };
    if (e.code === 'FST_REQ_FILE_TOO_LARGE') {
      throw ReportsErrors.tooLarge('files', `a file is larger than ${Math.round(limits.maxFileBytes / 1048576)} MB`);
    }
    if (e.code === 'FST_FILES_LIMIT') throw ReportsErrors.field('photos', `at most ${limits.maxFiles} files`);
    if (e.code === 'FST_PARTS_LIMIT' || e.code === 'FST_FIELDS_LIMIT') throw ReportsErrors.field('form', 'too many form fields');
    if (e.code?.startsWith('FST_') || /Unexpected end of (form|multipart data)|Part terminated early|Malformed part header|Multipart: Boundary not found/i.test(e.message ?? '')) {
      throw ReportsErrors.field('form', 'the upload is incomplete or malformed; send it again');
    }
    throw err;
  }
  return { fields, files };
}
