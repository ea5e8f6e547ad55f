/**
 * CoRE Link Format (RFC 6690, content format 40) as LwM2M uses it: the object links of a
 * Register/Update payload (`</>;rt="oma.lwm2m";ct=110,</1/0>,</3/0>;ver=1.1,</3303>`) and
 * Discover responses (`</3/0/1>;dim=2;pmin=10`). Malformed input throws LWM2M_ERR_LINK.
 */
import { lwm2mError, quote as show } from './errors.js';
import { parsePath, type Lwm2mPath } from './paths.js';

export interface CoreLink {
  /** The target as written between < and >. */
  readonly target: string;
  /** Attributes; a flag attribute without value is ''. Quoted values are unquoted. */
  readonly attributes: Readonly<Record<string, string>>;
}

/** One link of a registration: an object, or an object instance. */
export interface ObjectLink {
  readonly path: Lwm2mPath;
  /** Object version from `ver` (objects only), when given. */
  readonly version?: string;
}

export interface RegistrationLinks {
  /** Alternate root path of the client's objects (`</lwm2m>;rt="oma.lwm2m"`), '' when none. */
  readonly rootPath: string;
  /** Content formats the client announced with `ct` on the root link (LwM2M 1.1). */
  readonly contentFormats: readonly number[];
  readonly objects: readonly ObjectLink[];
}

/** Largest link-format payload parsed (a registration of thousands of instances fits). */
export const MAX_LINK_PAYLOAD = 256 * 1024;

/** Splits on `sep` outside double quotes. */
function splitOutsideQuotes(text: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    if (ch === sep && !quoted) {
      out.push(cur);
      cur = '';
      continue;
    }
    cur += ch;
  }
  if (quoted) throw lwm2mError('LWM2M_ERR_LINK', 'unterminated quoted attribute value');
  out.push(cur);
  return out;
}

/** Parses link-format text into links (no LwM2M meaning yet). */
export function parseCoreLinks(text: string): CoreLink[] {
  if (text.length > MAX_LINK_PAYLOAD)
    throw lwm2mError('LWM2M_ERR_LINK', `link payload of ${text.length} characters exceeds ${MAX_LINK_PAYLOAD}`);
  const trimmed = text.trim();
  if (trimmed === '') return [];
  return splitOutsideQuotes(trimmed, ',').map((raw, i) => {
    const parts = splitOutsideQuotes(raw.trim(), ';');
    const head = (parts[0] ?? '').trim();
    const m = /^<([^<>]*)>$/.exec(head);
    if (!m) throw lwm2mError('LWM2M_ERR_LINK', `link ${i}: ${show(head)} is not <target>`);
    const attributes: Record<string, string> = {};
    for (const p of parts.slice(1)) {
      const a = p.trim();
      if (a === '') continue;
      const eq = a.indexOf('=');
      const name = (eq < 0 ? a : a.slice(0, eq)).trim();
      if (!/^[A-Za-z0-9_.!#$&+^`|~-]+$/.test(name))
        throw lwm2mError('LWM2M_ERR_LINK', `link ${i}: bad attribute name ${show(name)}`);
      let value = eq < 0 ? '' : a.slice(eq + 1).trim();
      if (value.startsWith('"')) {
        if (!value.endsWith('"') || value.length < 2)
          throw lwm2mError('LWM2M_ERR_LINK', `link ${i}: bad quoted value of ${show(name)}`);
        value = value.slice(1, -1);
      }
      attributes[name] = value;
    }
    return { target: m[1] as string, attributes };
  });
}

function parseFormats(value: string, where: string): number[] {
  return value
    .split(/\s+/)
    .filter(Boolean)
    .map((s) => {
      if (!/^[0-9]{1,5}$/.test(s) || Number(s) > 65535)
        throw lwm2mError('LWM2M_ERR_LINK', `${where}: ct ${show(s)} is not a content format number`);
      return Number(s);
    });
}

/**
 * The LwM2M meaning of a Register/Update payload: root path, announced content formats and the
 * object/instance links (paths relative to the root). Links outside the root, or with more than
 * two path levels, are errors; `</>` and the root link carry no object.
 */
export function parseRegistrationLinks(text: string): RegistrationLinks {
  const links = parseCoreLinks(text);
  let rootPath = '';
  let contentFormats: number[] = [];
  const root = links.find((l) => l.attributes.rt === 'oma.lwm2m');
  if (root) {
    rootPath = root.target === '/' ? '' : root.target.replace(/\/$/, '');
    if (rootPath !== '' && !/^(\/[A-Za-z0-9_.~-]+)+$/.test(rootPath))
      throw lwm2mError('LWM2M_ERR_LINK', `bad alternate root path ${show(rootPath)}`);
  }
  // the formats may also come on a plain `</>;ct=…` link (Core 1.1.1 §6.2.1 allows ct on the root
  // path link; clients such as Murata's send it without rt="oma.lwm2m")
  const ctLink = root?.attributes.ct !== undefined ? root : links.find((l) => l.target === '/');
  if (ctLink?.attributes.ct !== undefined) contentFormats = parseFormats(ctLink.attributes.ct, 'root link');
  const objects: ObjectLink[] = [];
  for (const l of links) {
    if (l === root || l.target === '/' || l.target === '') continue;
    let target = l.target;
    if (rootPath) {
      if (!target.startsWith(`${rootPath}/`))
        throw lwm2mError('LWM2M_ERR_LINK', `link ${show(target)} is outside the root path ${show(rootPath)}`);
      target = target.slice(rootPath.length);
    }
    let path: Lwm2mPath;
    try {
      path = parsePath(target);
    } catch (e) {
      throw lwm2mError('LWM2M_ERR_LINK', `link ${show(target)} is not an object or instance path`, e);
    }
    if (path.level !== 'object' && path.level !== 'instance')
      throw lwm2mError('LWM2M_ERR_LINK', `link ${show(target)} must name an object or an object instance`);
    const ver = l.attributes.ver;
    if (ver !== undefined && !/^[0-9]+\.[0-9]+$/.test(ver))
      throw lwm2mError('LWM2M_ERR_LINK', `link ${show(target)}: ver ${show(ver)} is not major.minor`);
    objects.push(ver === undefined ? { path } : { path, version: ver });
  }
  return { rootPath, contentFormats, objects };
}

/** Writes links back as link-format text (Discover answers in tests, registration listings). */
export function formatCoreLinks(links: readonly CoreLink[]): string {
  return links
    .map(
      (l) =>
        `<${l.target}>` +
        Object.entries(l.attributes)
          .map(([k, v]) => (v === '' ? `;${k}` : /^[0-9.]+$/.test(v) ? `;${k}=${v}` : `;${k}="${v}"`))
          .join(''),
    )
    .join(',');
}
