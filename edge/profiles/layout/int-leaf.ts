/** One integer-backed value (a whole integer field, a bit range, a BCD number): raw ⇄ value with its checks. */
import { YiwangError, type ErrorCode } from '../../../common/errors.js';
import type { Scaling } from './primitives.js';
import type { LayoutValue, LayoutValues, RawOverrides } from './types.js';
import { show } from './spec-reader.js';

/** A decode error that names the field and where it sits in the payload. */
export function payloadError(code: ErrorCode, label: string, pos: number, problem: string): YiwangError {
  return new YiwangError(code, `${label} at byte ${pos}: ${problem}`);
}

export function encodeError(code: ErrorCode, label: string, problem: string): YiwangError {
  return new YiwangError(code, `${label}: ${problem}`);
}

export function hex(v: number): string {
  return v < 0 ? String(v) : `0x${v.toString(16).toUpperCase()}`;
}

export interface IntLeafOptions {
  name: string | undefined;
  label: string;
  emit: boolean;
  unit: string | undefined;
  /** Raw integers the bytes can hold, e.g. "u8" or "bits 4..7". */
  rawDesc: string;
  rawMin: number;
  rawMax: number;
  enumMap: ReadonlyMap<number, string> | undefined;
  enumNames: ReadonlyMap<string, number> | undefined;
  bool: boolean;
  scaling: Scaling;
  min: number | undefined;
  max: number | undefined;
  constRaw: number | undefined;
  noValue: readonly number[] | undefined;
}

export class IntLeaf {
  readonly name: string | undefined;
  private readonly o: IntLeafOptions;
  private readonly checked: boolean;

  constructor(o: IntLeafOptions) {
    this.o = o;
    this.name = o.name;
    this.checked = o.emit;
  }

  get options(): IntLeafOptions {
    return this.o;
  }

  decode(raw: number, out: LayoutValue[], pos: number): void {
    const o = this.o;
    if (o.noValue?.includes(raw)) return;
    if (o.constRaw !== undefined && raw !== o.constRaw) {
      throw payloadError(
        'PROFILE_ERR_CONST',
        o.label,
        pos,
        `holds ${hex(raw)}, the layout expects const ${hex(o.constRaw)}`,
      );
    }
    if (!this.checked) return;
    let value: number | boolean | string;
    if (o.enumMap !== undefined) {
      const s = o.enumMap.get(raw);
      if (s === undefined)
        throw payloadError(
          'PROFILE_ERR_ENUM',
          o.label,
          pos,
          `raw value ${raw} (${hex(raw)}) has no name in its enum table`,
        );
      value = s;
    } else if (o.bool) {
      value = raw !== 0;
    } else {
      value = o.scaling.apply(raw);
      if ((o.min !== undefined && value < o.min) || (o.max !== undefined && value > o.max)) {
        throw payloadError(
          'PROFILE_ERR_RANGE',
          o.label,
          pos,
          `${value} is outside its valid range ${o.min ?? '-inf'}..${o.max ?? 'inf'}`,
        );
      }
    }
    out.push(
      o.unit === undefined ? { name: o.name as string, value } : { name: o.name as string, value, unit: o.unit },
    );
  }

  /**
   * The raw integer to write. Missing values fall back to the encoder's override, const, then the
   * first no_value; otherwise `required` decides between an error and undefined.
   */
  encodeRaw(values: LayoutValues, overrides: RawOverrides, required: boolean): number | undefined {
    const o = this.o;
    const v = o.name === undefined ? undefined : values[o.name];
    if (v === undefined) {
      if (o.name !== undefined && overrides?.has(o.name)) return overrides.get(o.name);
      if (o.constRaw !== undefined) return o.constRaw;
      if (o.noValue !== undefined) return o.noValue[0];
      if (required && o.name !== undefined) throw encodeError('PROFILE_ERR_ENCODE', o.label, 'no value given');
      return undefined;
    }
    let raw: number;
    if (o.enumNames !== undefined) {
      if (typeof v !== 'string')
        throw encodeError('PROFILE_ERR_ENCODE', o.label, `expects one of its enum names (got ${show(v)})`);
      const r = o.enumNames.get(v);
      if (r === undefined)
        throw encodeError(
          'PROFILE_ERR_ENUM',
          o.label,
          `"${v}" is not in its enum table (${[...o.enumNames.keys()].join(', ')})`,
        );
      raw = r;
    } else if (o.bool) {
      if (v === true || v === 1) raw = 1;
      else if (v === false || v === 0) raw = 0;
      else throw encodeError('PROFILE_ERR_ENCODE', o.label, `expects true or false (got ${show(v)})`);
    } else {
      if (typeof v !== 'number' || !Number.isFinite(v))
        throw encodeError('PROFILE_ERR_ENCODE', o.label, `expects a finite number (got ${show(v)})`);
      if ((o.min !== undefined && v < o.min) || (o.max !== undefined && v > o.max)) {
        throw encodeError(
          'PROFILE_ERR_RANGE',
          o.label,
          `${v} is outside its valid range ${o.min ?? '-inf'}..${o.max ?? 'inf'}`,
        );
      }
      raw = Math.round(o.scaling.invert(v));
      if (raw === 0) raw = 0; // -0
    }
    if (!(raw >= o.rawMin && raw <= o.rawMax)) {
      throw encodeError(
        'PROFILE_ERR_ENCODE',
        o.label,
        `${show(v)} is raw ${raw}, which does not fit ${o.rawDesc} (${o.rawMin}..${o.rawMax})`,
      );
    }
    if (o.constRaw !== undefined && raw !== o.constRaw) {
      throw encodeError('PROFILE_ERR_ENCODE', o.label, `is const ${hex(o.constRaw)} (got ${show(v)})`);
    }
    return raw;
  }
}
