/**
 * DDF loader: an OMA LwM2M object definition file (DDF XML, the registry's LWM2M.xsd /
 * LWM2M-v1_1.xsd) → `ObjectModel`s. Pure: it takes the file's bytes or text and its name (for the
 * messages); reading files is the caller's business (edge/southbound/lwm2m/object-files.ts).
 *
 * Checked on load, and a file failing any check is refused as a whole with LWM2M_ERR_MODEL naming
 * the file: size cap before parsing, well-formed XML (no DOCTYPE: DDF files have none, and it
 * would open entity expansion), one `LWM2M` root with at least one `Object`, ids 0..65535,
 * resource ids unique within an object, known Operations (R, W, RW, E, '') and Types,
 * Single/Multiple, Mandatory/Optional, ObjectVersion `major.minor` (default 1.0).
 *
 * Mapping: an executable (E) has type `none` whatever its Type says (E carries no value); a
 * non-executable resource with an empty Type (registry slip, e.g. 10482/5) is read as `opaque`,
 * and says so in its `note`.
 */
import { XMLParser } from 'fast-xml-parser';
import { lwm2mError, quote } from '../errors.js';
import {
  validateObjectModel,
  type ObjectModel,
  type Operations,
  type ResourceModel,
  type ResourceType,
} from './model.js';

/** Largest DDF file accepted (the biggest registry file, 3416.xml, is 33 KB). */
export const MAX_DDF_BYTES = 512 * 1024;
/** Most objects one DDF file may define (registry files define one). */
export const MAX_DDF_OBJECTS = 256;

const TYPES: Readonly<Record<string, ResourceType>> = {
  string: 'string',
  integer: 'integer',
  'unsigned integer': 'unsigned',
  float: 'float',
  boolean: 'boolean',
  opaque: 'opaque',
  time: 'time',
  objlnk: 'objlnk',
  corelnk: 'corelnk',
};
const OPERATIONS: readonly Operations[] = ['', 'R', 'W', 'RW', 'E'];

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  isArray: (name) => name === 'Object' || name === 'Item',
});

type Node = Record<string, unknown>;

class DdfProblem extends Error {}

/** One object of a DDF file with the file it came from (for the version rule and messages). */
export interface DdfObject {
  readonly model: ObjectModel;
  readonly source: string;
}

/**
 * Parses one DDF file. `source` names the file in error messages. Throws LWM2M_ERR_MODEL for
 * anything wrong with the file (never another exception).
 */
export function parseDdf(input: string | Uint8Array, source: string, maxBytes = MAX_DDF_BYTES): ObjectModel[] {
  const fail = (why: string, cause?: unknown) =>
    lwm2mError('LWM2M_ERR_MODEL', `DDF file ${quote(source, 200)} refused: ${why}`, cause);
  let text: string;
  if (typeof input === 'string') {
    // a character is at least one UTF-8 byte: check the cheap bound before encoding
    const bytes = input.length > maxBytes ? input.length : new TextEncoder().encode(input).length;
    if (bytes > maxBytes) throw fail(`${bytes} bytes or more exceed the limit of ${maxBytes}`);
    text = input;
  } else {
    if (input.length > maxBytes) throw fail(`${input.length} bytes exceed the limit of ${maxBytes}`);
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(input);
    } catch (e) {
      throw fail('not valid UTF-8', e);
    }
  }
  if (/<!DOCTYPE/i.test(text)) throw fail('a DOCTYPE is not allowed in a DDF file');
  let doc: unknown;
  try {
    doc = parser.parse(text, true);
  } catch (e) {
    throw fail(`not well-formed XML (${e instanceof Error ? e.message : String(e)})`, e);
  }
  try {
    return objectsOf(doc).map((o) => {
      const model = toObject(o);
      validateObjectModel(model);
      return model;
    });
  } catch (e) {
    if (e instanceof DdfProblem) throw fail(e.message);
    // validateObjectModel's coded error: keep its text, add the file name
    throw fail(e instanceof Error ? e.message : String(e), e);
  }
}

function objectsOf(doc: unknown): Node[] {
  if (!isNode(doc)) throw new DdfProblem('no LWM2M root element');
  const root = doc.LWM2M;
  if (root === undefined) throw new DdfProblem('no LWM2M root element');
  if (!isNode(root) || !Array.isArray(root.Object) || root.Object.length === 0) {
    throw new DdfProblem('the LWM2M element holds no Object');
  }
  if (root.Object.length > MAX_DDF_OBJECTS) {
    throw new DdfProblem(`${root.Object.length} objects exceed the limit of ${MAX_DDF_OBJECTS} per file`);
  }
  return root.Object.map((o: unknown, i: number) => {
    if (!isNode(o)) throw new DdfProblem(`Object #${i + 1} has no content`);
    return o;
  });
}

function toObject(o: Node): ObjectModel {
  const id = idOf(text(o, 'ObjectID', 'object'), 'ObjectID');
  const where = `object ${id}`;
  const name = text(o, 'Name', where).replace(/\s+/g, ' ');
  if (!name) throw new DdfProblem(`${where}: Name is empty`);
  const version = text(o, 'ObjectVersion', where, true) || '1.0';
  if (!/^\d{1,4}\.\d{1,4}$/.test(version)) {
    throw new DdfProblem(`${where}: ObjectVersion ${quote(version)} is not major.minor`);
  }
  const resources = o.Resources;
  let items: unknown[] = [];
  if (isNode(resources)) items = Array.isArray(resources.Item) ? resources.Item : [];
  else if (resources !== '' && resources !== undefined)
    throw new DdfProblem(`${where}: Resources is not a list of Item`);
  else if (resources === undefined) throw new DdfProblem(`${where}: no Resources element`);
  const seen = new Set<number>();
  const list = items.map((item) => {
    if (!isNode(item)) throw new DdfProblem(`${where}: an Item has no content`);
    const r = toResource(item, where);
    if (seen.has(r.id)) throw new DdfProblem(`${where}: resource ${r.id} defined twice`);
    seen.add(r.id);
    return r;
  });
  return {
    id,
    name,
    version,
    multiple: multiplicity(text(o, 'MultipleInstances', where), where),
    mandatory: mandatory(text(o, 'Mandatory', where), where),
    resources: list,
  };
}

function toResource(item: Node, object: string): ResourceModel {
  const id = idOf(item['@_ID'], `${object}: Item ID`);
  const where = `${object} resource ${id}`;
  const name = text(item, 'Name', where).replace(/\s+/g, ' ');
  if (!name) throw new DdfProblem(`${where}: Name is empty`);
  const ops = text(item, 'Operations', where, true);
  if (!(OPERATIONS as readonly string[]).includes(ops)) {
    throw new DdfProblem(`${where}: unknown Operations ${quote(ops)} (R, W, RW, E or empty)`);
  }
  const rawType = text(item, 'Type', where, true);
  let type: ResourceType | 'none';
  let note: string | undefined;
  if (rawType === '') {
    if (ops === 'E') type = 'none';
    else {
      type = 'opaque';
      note = 'the registry gives no Type for this readable/writable resource: values are kept as opaque';
    }
  } else {
    const known = TYPES[rawType.toLowerCase().replace(/\s+/g, ' ')];
    if (!known) throw new DdfProblem(`${where}: unknown Type ${quote(rawType)}`);
    type = ops === 'E' ? 'none' : known;
  }
  const units = text(item, 'Units', where, true);
  const range = text(item, 'RangeEnumeration', where, true);
  return {
    id,
    name,
    type,
    operations: ops as Operations,
    multiple: multiplicity(text(item, 'MultipleInstances', where), where),
    mandatory: mandatory(text(item, 'Mandatory', where), where),
    ...(units ? { units } : {}),
    ...(range ? { range } : {}),
    ...(note ? { note } : {}),
  };
}

/** The text of a child element; absent → error, or '' when `optional`. */
function text(node: Node, key: string, where: string, optional = false): string {
  const v = node[key];
  if (v === undefined) {
    if (optional) return '';
    throw new DdfProblem(`${where}: no ${key} element`);
  }
  if (Array.isArray(v)) throw new DdfProblem(`${where}: ${key} given ${v.length} times`);
  if (typeof v !== 'string') throw new DdfProblem(`${where}: ${key} must be text`);
  return v.trim();
}

function idOf(v: unknown, what: string): number {
  if (typeof v !== 'string' || !/^\d{1,5}$/.test(v.trim())) {
    throw new DdfProblem(`${what} ${quote(String(v))} is not an id 0..65535`);
  }
  const n = Number(v.trim());
  if (n > 65535) throw new DdfProblem(`${what} ${n} is not an id 0..65535`);
  return n;
}

function multiplicity(v: string, where: string): boolean {
  if (v === 'Multiple') return true;
  if (v === 'Single') return false;
  throw new DdfProblem(`${where}: MultipleInstances must be Single or Multiple, not ${quote(v)}`);
}

function mandatory(v: string, where: string): boolean {
  if (v === 'Mandatory') return true;
  if (v === 'Optional') return false;
  throw new DdfProblem(`${where}: Mandatory must be Mandatory or Optional, not ${quote(v)}`);
}

function isNode(v: unknown): v is Node {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Compares object versions "major.minor" numerically (1.10 > 1.9). */
export function compareVersions(a: string, b: string): number {
  const [am = 0, an = 0] = a.split('.').map(Number);
  const [bm = 0, bn = 0] = b.split('.').map(Number);
  return am - bm || an - bn;
}

/**
 * The version rule: of several definitions of one object id, the highest ObjectVersion wins; of
 * equal versions, the one whose source sorts last (files are read in name order, so the rule
 * does not depend on directory listing order). Returns one object per id, sorted by id.
 */
export function newestPerId(objects: Iterable<DdfObject>): DdfObject[] {
  const best = new Map<number, DdfObject>();
  for (const o of objects) {
    const prev = best.get(o.model.id);
    if (
      !prev ||
      compareVersions(o.model.version, prev.model.version) > 0 ||
      (compareVersions(o.model.version, prev.model.version) === 0 && o.source > prev.source)
    ) {
      best.set(o.model.id, o);
    }
  }
  return [...best.values()].sort((a, b) => a.model.id - b.model.id);
}
