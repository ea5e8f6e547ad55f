/**
 * CBOR through the `cborg` library. Decoding uses cborg's tokenizer (the library does all byte
 * level work: heads, lengths, floats, UTF-8) and builds a small typed tree here, because
 * LwM2M needs what `cborg.decode` hides: whether a number was written as an integer or a float,
 * integer map keys, tags 0/1, and a nesting limit (SenML needs depth 2). Each item consumes at
 * least one input byte and cborg checks every length against the bytes left, so time and memory
 * stay bounded by the input size. Encoding is `cborg.encode` with insertion-ordered map keys and
 * a wrapper that forces float encoding for float-typed values. No CBOR is written by hand here.
 */
import { Token, Tokenizer, Type, encode } from 'cborg';
import { lwm2mError } from '../errors.js';

export type CborItem =
  | { readonly kind: 'int'; readonly value: number | bigint }
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'bytes'; readonly value: Uint8Array }
  | { readonly kind: 'text'; readonly value: string }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'null' }
  | { readonly kind: 'undefined' }
  | { readonly kind: 'array'; readonly items: readonly CborItem[] }
  | { readonly kind: 'map'; readonly entries: readonly (readonly [CborItem, CborItem])[] }
  | { readonly kind: 'tag'; readonly tag: number; readonly item: CborItem };

const TOKENIZER_OPTIONS = { allowBigInt: true, allowIndefinite: true, allowUndefined: true, strict: false };
const BREAK = Symbol('break');

function cborError(detail: string, cause?: unknown): never {
  throw lwm2mError('LWM2M_ERR_CBOR', detail, cause);
}

/** Decodes exactly one CBOR item filling `bytes`, nested at most `maxDepth` containers/tags deep. */
export function decodeCbor(bytes: Uint8Array, maxDepth: number): CborItem {
  const tk = new Tokenizer(bytes, TOKENIZER_OPTIONS);
  const item = readItem(tk, 0, maxDepth);
  if (item === BREAK) cborError('unexpected break code');
  if (!tk.done()) cborError(`${bytes.length - tk.pos()} bytes after the CBOR item`);
  return item;
}

function next(tk: Tokenizer): Token {
  if (tk.done()) cborError('CBOR ends in the middle of an item');
  try {
    return tk.next();
  } catch (e) {
    return cborError(e instanceof Error ? e.message : 'malformed CBOR', e);
  }
}

function readItem(tk: Tokenizer, depth: number, maxDepth: number): CborItem | typeof BREAK {
  const t = next(tk);
  const nested = (): void => {
    if (depth >= maxDepth) cborError(`CBOR nested deeper than ${maxDepth} levels`);
  };
  switch (t.type.name) {
    case Type.uint.name:
    case Type.negint.name:
      return { kind: 'int', value: t.value as number | bigint };
    case Type.float.name:
      return { kind: 'float', value: t.value as number };
    case Type.bytes.name:
      return { kind: 'bytes', value: t.value as Uint8Array };
    case Type.string.name:
      return { kind: 'text', value: t.value as string };
    case Type.true.name:
      return { kind: 'bool', value: true };
    case Type.false.name:
      return { kind: 'bool', value: false };
    case Type.null.name:
      return { kind: 'null' };
    case Type.undefined.name:
      return { kind: 'undefined' };
    case Type.break.name:
      return BREAK;
    case Type.array.name: {
      nested();
      const items: CborItem[] = [];
      for (let i = 0; i < (t.value as number); i++) {
        const item = readItem(tk, depth + 1, maxDepth);
        if (item === BREAK) {
          if (t.value === Infinity) break;
          cborError('break code inside a definite-length array');
        }
        items.push(item);
      }
      return { kind: 'array', items };
    }
    case Type.map.name: {
      nested();
      const entries: [CborItem, CborItem][] = [];
      for (let i = 0; i < (t.value as number); i++) {
        const key = readItem(tk, depth + 1, maxDepth);
        if (key === BREAK) {
          if (t.value === Infinity) break;
          cborError('break code inside a definite-length map');
        }
        const value = readItem(tk, depth + 1, maxDepth);
        if (value === BREAK) cborError('map key without a value');
        entries.push([key, value]);
      }
      return { kind: 'map', entries };
    }
    case Type.tag.name: {
      nested();
      const item = readItem(tk, depth + 1, maxDepth);
      if (item === BREAK) cborError('tag without content');
      return { kind: 'tag', tag: t.value as number, item };
    }
    default:
      return cborError(`unsupported CBOR item ${t.type.name}`);
  }
}

/** Marks a number that must be encoded as a CBOR float even when it is integral. */
export class CborFloat {
  constructor(readonly value: number) {}
}

/** Marks a tagged value (e.g. tag 1 for epoch time). */
export class CborTag {
  constructor(
    readonly tag: number,
    readonly value: number,
  ) {}
}

/** What `encodeCbor` accepts: plain data, Maps (keys in insertion order), floats and tags. */
export type CborValue =
  | number
  | bigint
  | string
  | boolean
  | null
  | Uint8Array
  | CborFloat
  | CborTag
  | readonly CborValue[]
  | Map<number | string, CborValue>;

const ENCODE_OPTIONS = {
  // Floats as float64: every LwM2M peer reads them, and SenML examples use them (RFC 8428 allows any width).
  float64: true,
  // Keep SenML labels in the order written (bn, bt, n, value, t), like the LwM2M specification examples.
  mapSorter: (): number => 0,
  typeEncoders: {
    Object: (obj: unknown): Token[] | null => {
      if (obj instanceof CborFloat) return [new Token(Type.float, obj.value)];
      if (obj instanceof CborTag) {
        return [
          new Token(Type.tag, obj.tag),
          ...(Number.isInteger(obj.value) ? intToken(obj.value) : [new Token(Type.float, obj.value)]),
        ];
      }
      return null;
    },
  },
};

function intToken(v: number): Token[] {
  return v >= 0 ? [new Token(Type.uint, v)] : [new Token(Type.negint, v)];
}

export function encodeCbor(value: CborValue): Uint8Array {
  return encode(value, ENCODE_OPTIONS);
}
