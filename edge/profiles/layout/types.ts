/** The compiled form of a layout: what compile.ts builds and decode.ts / encode.ts run. */
import type { ByteOrder, ChecksumAlgorithm } from './checksums.js';
import type { IntCodec } from './primitives.js';

export interface LayoutValue {
  name: string;
  value: number | boolean | string;
  unit?: string;
}
export interface Decoded {
  type?: string;
  values: LayoutValue[];
}
export type LayoutValues = Readonly<Record<string, number | boolean | string>>;
/** Raw integers forced by the encoder (the message-type field), by value name. */
export type RawOverrides = ReadonlyMap<string, number> | undefined;

/** One field of the spec: a run of bytes at a fixed place, yielding zero or more values. */
export interface FieldOp {
  /** How messages name it: `field "temperature"` or `fields[3]`. */
  readonly label: string;
  /** true: `at` is negative and counts from the payload end. */
  readonly fromEnd: boolean;
  /** Offset from the base (payload start, or record start), or from the payload end when fromEnd. */
  readonly at: number;
  readonly size: number;
  /** Value names this field reads or writes (emitted or hidden). */
  readonly names: readonly string[];
  decode(b: Uint8Array, pos: number, out: LayoutValue[]): void;
  encode(b: Uint8Array, pos: number, values: LayoutValues, raw: RawOverrides): void;
}

/** An integer-valued value a message-type switch can read. */
export interface SwitchSource {
  readonly name: string;
  readonly op: FieldOp;
  readonly rawMin: number;
  readonly rawMax: number;
  readonly enumNames: ReadonlyMap<string, number> | undefined;
  readRaw(b: Uint8Array, pos: number): number;
  /** The raw integer the values select, or undefined when the values lack it. */
  rawFromValues(values: LayoutValues): number | undefined;
}

export interface ChecksumRule {
  readonly label: string;
  readonly algorithm: ChecksumAlgorithm;
  readonly order: ByteOrder;
  /** Inclusive byte range; negative counts from the end (-1 = last byte). */
  readonly from: number;
  readonly to: number;
  readonly at: number;
}

/** Length checks and checksums that apply to the whole payload (layout level or one message). */
export interface FrameRules {
  readonly length: number | undefined;
  readonly minLength: number | undefined;
  readonly maxLength: number | undefined;
  readonly checksums: readonly ChecksumRule[];
  /** Bytes the fixed parts need from the payload start / before the payload end. */
  readonly needHead: number;
  readonly needTail: number;
}

export interface Message {
  readonly name: string;
  readonly when: readonly number[];
  readonly frame: FrameRules;
  readonly fields: readonly FieldOp[];
}

export interface RecordType {
  readonly name: string;
  readonly tags: readonly number[];
  /** Bytes after the tag. */
  readonly size: number;
  readonly fields: readonly FieldOp[];
}

export interface Records {
  readonly tag: IntCodec;
  /** Where the first record starts (after the frame header fields). */
  readonly start: number;
  readonly byTag: ReadonlyMap<number, RecordType>;
  readonly list: readonly RecordType[];
}

/** A compiled, validated layout. Immutable; share it between calls. */
export interface Layout {
  readonly where: string;
  readonly frame: FrameRules;
  /** Fields read for every payload (the header when there are messages or records). */
  readonly fields: readonly FieldOp[];
  readonly switch: SwitchSource | undefined;
  readonly messages: ReadonlyMap<string, Message>;
  readonly messageByRaw: ReadonlyMap<number, Message>;
  readonly records: Records | undefined;
  /** Every value name the layout knows (any message or record), for the encoder. */
  readonly names: ReadonlySet<string>;
  /** The same decoder generated as straight-line code (codegen.ts), when it could be built. */
  readonly fast: ((b: Uint8Array) => Decoded) | undefined;
}
