/**
 * Registration interface data: Register/Update parameters (ep, lt, lwm2m, b, Q, sms), the
 * registration record and the content format the server speaks to each device.
 */
import { CONTENT_FORMAT, parseRegistrationLinks, quote, type ObjectLink } from '../core/index.js';
import { isYiwangError } from '../../../../common/errors.js';
import { serverError } from './errors.js';
import type { Peer } from './exchange.js';
import { intern, Interner } from './intern.js';
import type { RegistrationRow } from './store.js';

export interface Registration {
  endpoint: string;
  regId: string;
  peer: Peer;
  lifetimeS: number;
  version: string;
  binding: string;
  /** Binding with Q (1.0) or the Q parameter (1.1): reachable only shortly after it talks. */
  queueMode: boolean;
  sms: string | undefined;
  /** The object links as registered (link-format text). */
  links: string;
  rootPath: string;
  objects: readonly ObjectLink[];
  /** Content format used for requests to this device (chosen from `ct` and the version). */
  contentFormat: number;
  registeredMs: number;
  updatedMs: number;
  online: boolean;
  /**
   * Another endpoint registered (or updated) from this registration's address since it last did
   * (carrier NAT gave the address to another device): the address is no longer its own, so Sends
   * from it are not credited to this registration and requests to it wait until it registers or
   * updates again. Persisted; absent or false: the registration owns its address.
   */
  addressLost?: boolean;
  /**
   * The device answered a composite request (FETCH) with 4.05, 4.02 or 5.01: it does not support
   * composite operations, which fail at once from then on. Kept until it registers again (not persisted).
   */
  noComposite?: boolean;
}

export interface RegisterParams {
  endpoint: string;
  lifetimeS: number;
  version: string;
  binding: string;
  queueMode: boolean;
  sms: string | undefined;
}

export interface UpdateParams {
  lifetimeS?: number;
  binding?: string;
  queueMode?: boolean;
  sms?: string;
}

/** Characters of an endpoint name; its length is checked against lwm2m.max_endpoint_length (default 128). */
export const ENDPOINT_RE = /^[A-Za-z0-9_.:@+~-]+$/;
export const DEFAULT_MAX_ENDPOINT_LENGTH = 128;
const BINDING_RE = /^(?!.*(.).*\1)[UQSNT]{1,5}$/;
const VERSIONS = new Set(['1.0', '1.1', '1.2']);
export const DEFAULT_LIFETIME_S = 86_400;
const MAX_LIFETIME_S = 0xffffffff;

function queryMap(query: readonly string[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const q of query) {
    const eq = q.indexOf('=');
    const k = eq < 0 ? q : q.slice(0, eq);
    if (m.has(k)) throw serverError('LWM2M_ERR_REGISTRATION', `parameter ${quote(k, 20)} given twice`);
    m.set(k, eq < 0 ? '' : q.slice(eq + 1));
  }
  return m;
}

function lifetime(v: string): number {
  if (!/^[0-9]{1,10}$/.test(v) || Number(v) < 1 || Number(v) > MAX_LIFETIME_S) {
    throw serverError(
      'LWM2M_ERR_REGISTRATION',
      `lt=${quote(v, 20)} is not a lifetime in seconds (1..${MAX_LIFETIME_S})`,
    );
  }
  return Number(v);
}

function binding(v: string): string {
  if (!BINDING_RE.test(v))
    throw serverError('LWM2M_ERR_REGISTRATION', `b=${quote(v, 20)} is not a binding (U, UQ, S, SQ, UQS, N, T …)`);
  return v;
}

export function parseRegisterQuery(
  query: readonly string[],
  maxEndpointLength = DEFAULT_MAX_ENDPOINT_LENGTH,
): RegisterParams {
  const m = queryMap(query);
  const endpoint = m.get('ep');
  if (endpoint === undefined || endpoint === '')
    throw serverError('LWM2M_ERR_REGISTRATION', 'Register needs an endpoint name (ep=)');
  if (endpoint.length > maxEndpointLength || !ENDPOINT_RE.test(endpoint)) {
    throw serverError(
      'LWM2M_ERR_REGISTRATION',
      `endpoint name ${quote(endpoint)} is not allowed (1-${maxEndpointLength} of A-Z a-z 0-9 _ . : @ + ~ -)`,
    );
  }
  const v = m.get('lwm2m') ?? '1.0';
  if (!VERSIONS.has(v))
    throw serverError('LWM2M_ERR_REGISTRATION', `lwm2m=${quote(v, 10)} is not a supported version (1.0, 1.1, 1.2)`);
  const version = intern(v); // only valid values are shared: a flood of bad ones cannot churn the interner
  const b = binding(m.get('b') ?? 'U');
  const q = m.get('Q');
  if (q !== undefined && q !== '') throw serverError('LWM2M_ERR_REGISTRATION', 'the Q parameter takes no value');
  const lt = m.get('lt');
  return {
    endpoint,
    version,
    binding: intern(b),
    sms: m.get('sms'),
    lifetimeS: lt === undefined ? DEFAULT_LIFETIME_S : lifetime(lt),
    queueMode: b.includes('Q') || q !== undefined,
  };
}

export function parseUpdateQuery(query: readonly string[]): UpdateParams {
  const m = queryMap(query);
  const out: UpdateParams = {};
  const lt = m.get('lt');
  if (lt !== undefined) out.lifetimeS = lifetime(lt);
  const b = m.get('b');
  if (b !== undefined) {
    out.binding = intern(binding(b));
    out.queueMode = out.binding.includes('Q') || m.has('Q');
  } else if (m.has('Q')) out.queueMode = true;
  const sms = m.get('sms');
  if (sms !== undefined) out.sms = sms;
  return out;
}

export interface ParsedLinks {
  text: string;
  rootPath: string;
  contentFormats: readonly number[];
  objects: readonly ObjectLink[];
}

/**
 * Devices of one model register the same links: their text and parsed form are kept once. Only
 * short texts are shared, in a bounded cache (at most ~256 × 2 KiB of text and its parse), so
 * a flood of distinct link payloads cannot grow it.
 */
const linkCache = new Interner<ParsedLinks>(256);
const MAX_SHARED_LINKS = 2048;

/**
 * Parses object links; a malformed payload is a registration error with the link error as cause.
 * The result is shared by every registration with the same link text (treat it as read-only).
 */
export function parseLinks(payload: Buffer | string): ParsedLinks {
  const text = typeof payload === 'string' ? payload : payload.toString('utf8');
  const parse = (t: string): ParsedLinks => ({ text: t, ...parseRegistrationLinks(t) });
  try {
    return text.length > MAX_SHARED_LINKS ? parse(text) : linkCache.get(text, parse);
  } catch (e) {
    if (isYiwangError(e)) throw serverError('LWM2M_ERR_REGISTRATION', `object links: ${e.code}: ${e.message}`, e);
    throw e;
  }
}

const PREFERENCE = [
  CONTENT_FORMAT.SENML_CBOR,
  CONTENT_FORMAT.SENML_JSON,
  CONTENT_FORMAT.TLV,
  CONTENT_FORMAT.JSON,
  CONTENT_FORMAT.OLD_TLV,
  CONTENT_FORMAT.OLD_JSON,
];

/**
 * The content format for requests to a device: the most compact one it announced with `ct`
 * (SenML CBOR, SenML JSON, TLV, LwM2M JSON); otherwise TLV, which every 1.0/1.1 client supports.
 */
export function chooseContentFormat(version: string, announced: readonly number[]): number {
  for (const f of PREFERENCE) if (announced.includes(f)) return f;
  return version === '1.0' || version === '1.1' ? CONTENT_FORMAT.TLV : CONTENT_FORMAT.SENML_CBOR;
}

export function toRow(r: Registration): RegistrationRow {
  return {
    endpoint: r.endpoint,
    reg_id: r.regId,
    address: r.peer.address,
    port: r.peer.port,
    lifetime_s: r.lifetimeS,
    version: r.version,
    binding: r.binding,
    queue_mode: r.queueMode ? 1 : 0,
    sms: r.sms ?? null,
    links: r.links,
    content_format: r.contentFormat,
    registered_ms: r.registeredMs,
    updated_ms: r.updatedMs,
    online: r.online ? 1 : 0,
    address_lost: r.addressLost ? 1 : 0,
  };
}

export function fromRow(row: RegistrationRow): Registration {
  let links: ParsedLinks = { text: row.links, rootPath: '', contentFormats: [], objects: [] };
  try {
    links = parseLinks(row.links);
  } catch {
    /* stored links were valid when stored */
  }
  return {
    endpoint: row.endpoint,
    regId: row.reg_id,
    peer: { address: intern(row.address), port: row.port },
    lifetimeS: row.lifetime_s,
    version: intern(row.version),
    binding: intern(row.binding),
    queueMode: row.queue_mode === 1,
    sms: row.sms ?? undefined,
    links: links.text,
    rootPath: links.rootPath,
    objects: links.objects,
    contentFormat: row.content_format,
    registeredMs: row.registered_ms,
    updatedMs: row.updated_ms,
    online: row.online === 1,
    ...(row.address_lost === 1 ? { addressLost: true } : {}),
  };
}

/** What the local API shows of a registration. */
export function registrationView(r: Registration, graceMs: number, pending: number): Record<string, unknown> {
  return {
    endpoint: r.endpoint,
    registrationId: r.regId,
    address: `${r.peer.address}:${r.peer.port}`,
    ...(r.addressLost ? { addressTakenOver: true } : {}),
    lwm2m: r.version,
    binding: r.binding,
    queueMode: r.queueMode,
    lifetimeS: r.lifetimeS,
    online: r.online,
    contentFormat: r.contentFormat,
    objects: r.objects.map((o) => (o.version ? `${o.path.toString()};ver=${o.version}` : o.path.toString())),
    registeredAt: new Date(r.registeredMs).toISOString(),
    lastUpdateAt: new Date(r.updatedMs).toISOString(),
    expiresAt: new Date(r.updatedMs + r.lifetimeS * 1000 + graceMs).toISOString(),
    pendingRequests: pending,
  };
}
