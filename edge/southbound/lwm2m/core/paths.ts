/**
 * LwM2M paths: / (root), /3 (object), /3/0 (instance), /3/0/1 (resource), /3/0/11/2 (resource
 * instance). Ids are 0..65535 (16 bits, as in TLV and in the CoAP URI); 65535 is kept legal
 * because the null object link 65535:65535 and some devices use it.
 */
import { lwm2mError } from './errors.js';

export const MAX_ID = 65535;

export type PathLevel = 'root' | 'object' | 'instance' | 'resource' | 'resourceInstance';

const LEVELS: readonly PathLevel[] = ['root', 'object', 'instance', 'resource', 'resourceInstance'];

/** Longest valid path text: "/65535/65535/65535/65535". Longer text is rejected before parsing. */
const MAX_PATH_TEXT = 24;

export function isValidId(id: number): boolean {
  return Number.isInteger(id) && id >= 0 && id <= MAX_ID;
}

/** An immutable LwM2M path. Build with `Lwm2mPath.of(3, 0, 1)` or `parsePath('/3/0/1')`. */
export class Lwm2mPath {
  static readonly ROOT = new Lwm2mPath([]);
  readonly ids: readonly number[];

  private constructor(ids: readonly number[]) {
    this.ids = Object.freeze([...ids]);
  }

  /** Validates the ids (0..65535, at most four). */
  static of(...ids: number[]): Lwm2mPath {
    if (ids.length === 0) return Lwm2mPath.ROOT;
    if (ids.length > 4) throw lwm2mError('LWM2M_ERR_PATH', `a path has at most 4 ids (got ${ids.length})`);
    for (const id of ids) {
      if (!isValidId(id)) throw lwm2mError('LWM2M_ERR_PATH', `path id ${String(id)} is not an integer 0..${MAX_ID}`);
    }
    return new Lwm2mPath(ids);
  }

  get level(): PathLevel {
    return LEVELS[this.ids.length] as PathLevel;
  }
  get objectId(): number | undefined {
    return this.ids[0];
  }
  get instanceId(): number | undefined {
    return this.ids[1];
  }
  get resourceId(): number | undefined {
    return this.ids[2];
  }
  get resourceInstanceId(): number | undefined {
    return this.ids[3];
  }
  /** The last id (the node's own id); undefined for the root. */
  get lastId(): number | undefined {
    return this.ids[this.ids.length - 1];
  }

  child(id: number): Lwm2mPath {
    return Lwm2mPath.of(...this.ids, id);
  }

  parent(): Lwm2mPath | undefined {
    return this.ids.length === 0 ? undefined : new Lwm2mPath(this.ids.slice(0, -1));
  }

  /** True when `prefix` is this path or one of its ancestors (the root is everyone's prefix). */
  startsWith(prefix: Lwm2mPath): boolean {
    if (prefix.ids.length > this.ids.length) return false;
    return prefix.ids.every((id, i) => this.ids[i] === id);
  }

  equals(other: Lwm2mPath): boolean {
    return other.ids.length === this.ids.length && this.startsWith(other);
  }

  toString(): string {
    return `/${this.ids.join('/')}`;
  }

  toJSON(): string {
    return this.toString();
  }
}

/**
 * Parses "/3/0/1". The leading slash is required; no trailing slash, no empty segment, no
 * leading zeros (so that every path has one spelling), ids 0..65535. "/" is the root.
 */
export function parsePath(text: string): Lwm2mPath {
  if (typeof text !== 'string') throw lwm2mError('LWM2M_ERR_PATH', 'a path must be a string');
  if (text.length > MAX_PATH_TEXT) {
    throw lwm2mError('LWM2M_ERR_PATH', `path ${JSON.stringify(text.slice(0, 32))}… is too long for an LwM2M path`);
  }
  if (text === '/') return Lwm2mPath.ROOT;
  if (!text.startsWith('/')) throw lwm2mError('LWM2M_ERR_PATH', `path ${JSON.stringify(text)} must start with /`);
  const parts = text.slice(1).split('/');
  if (parts.length > 4) throw lwm2mError('LWM2M_ERR_PATH', `path ${JSON.stringify(text)} has more than 4 levels`);
  const ids = parts.map((p) => {
    if (!/^(0|[1-9][0-9]{0,4})$/.test(p)) {
      throw lwm2mError(
        'LWM2M_ERR_PATH',
        `path ${JSON.stringify(text)}: segment ${JSON.stringify(p)} is not a decimal id`,
      );
    }
    const id = Number(p);
    if (id > MAX_ID) throw lwm2mError('LWM2M_ERR_PATH', `path ${JSON.stringify(text)}: id ${id} is above ${MAX_ID}`);
    return id;
  });
  return Lwm2mPath.of(...ids);
}

export function formatPath(path: Lwm2mPath): string {
  return path.toString();
}
