/** Request helpers shared by the API route files. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { YiwangError } from '../../common/errors.js';
import '../errors.js';

/** A JSON route: returns [status, body]. */
export type Handler = (m: RegExpMatchArray, url: URL, req: IncomingMessage) => Promise<[number, unknown]>;
/** A route that writes its own response (SSE, metrics text, static files). */
export type RawHandler = (m: RegExpMatchArray, url: URL, req: IncomingMessage, res: ServerResponse) => Promise<void>;
export type Route = [method: string, path: RegExp, handler: Handler];
export type RawRoute = [method: string, path: RegExp, handler: RawHandler];

export async function readJson(req: IncomingMessage, limit = 65_536): Promise<Record<string, unknown>> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > limit) throw new YiwangError('CLOUD_ERR_BAD_REQUEST', `body over ${limit} bytes`);
    chunks.push(c as Buffer);
  }
  if (size === 0) return {};
  try {
    const v = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not an object');
    return v as Record<string, unknown>;
  } catch (err) {
    throw new YiwangError('CLOUD_ERR_BAD_REQUEST', `body is not a JSON object: ${(err as Error).message}`);
  }
}

export function intParam(url: URL, name: string): number | undefined {
  const v = url.searchParams.get(name);
  if (v === null) return undefined;
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new YiwangError('CLOUD_ERR_BAD_REQUEST', `${name} must be an integer (ms since epoch, or a count)`);
  return n;
}

export function boolParam(url: URL, name: string): boolean | undefined {
  const v = url.searchParams.get(name);
  if (v === null) return undefined;
  if (['1', 'true', 'yes'].includes(v)) return true;
  if (['0', 'false', 'no'].includes(v)) return false;
  throw new YiwangError('CLOUD_ERR_BAD_REQUEST', `${name} must be true or false`);
}

export function choiceParam<T extends string>(url: URL, name: string, choices: readonly T[]): T | undefined {
  const v = url.searchParams.get(name);
  if (v === null || v === '') return undefined;
  if (!(choices as readonly string[]).includes(v)) throw new YiwangError('CLOUD_ERR_BAD_REQUEST', `${name} must be one of ${choices.join(', ')}`);
  return v as T;
}

export function strParam(url: URL, name: string): string | undefined {
  return url.searchParams.get(name) ?? undefined;
}

export const decodeId = (s: string): string => decodeURIComponent(s);
