/** The validated, compiled form of a device profile (firmware-profiles/<vendor>/<model>.toml). */
import type { Layout } from './layout/index.js';
import type { VersionRange } from './versions.js';

export type MetricType = 'number' | 'boolean' | 'string';
export type PriorityName = 'alarm' | 'normal' | 'bulk';
export type SeverityName = 'info' | 'warning' | 'critical';
export type ScalarValue = number | boolean | string;

export interface MatchRules {
  readonly lwm2mEndpoint?: string;
  readonly lwm2mObjects?: readonly number[];
  readonly manufacturer?: string;
  readonly model?: string;
  readonly coapPath?: string;
  readonly device?: string;
  readonly serialAddress?: string;
  readonly hj212Mn?: string;
  readonly cameraManufacturer?: string;
  readonly cameraModel?: string;
}

export interface ObserveBinding {
  readonly path: string;
  readonly pmin?: number;
  readonly pmax?: number;
}

export interface TransportBindings {
  readonly lwm2m?: { readonly object19: boolean; readonly observe: readonly ObserveBinding[] };
  readonly coap?: { readonly raw: boolean };
  /** Validated by edge/southbound/serial/binding.ts when it exists; otherwise kept as written. */
  readonly serial?: Readonly<Record<string, unknown>>;
  /** Validated by edge/southbound/hj212/binding.ts when it exists; otherwise kept as written. */
  readonly hj212?: Readonly<Record<string, unknown>>;
}

export interface MetricDef {
  readonly name: string;
  /** The decoded value it comes from (layout or script value name). */
  readonly from: string;
  /** A LwM2M resource path ("/3303/0/5700") whose observed value is this metric. */
  readonly lwm2m?: string;
  readonly unit: string;
  readonly type: MetricType;
  /** The source value (layout, wire or LwM2M, in its own unit) × scale = the reading, in `unit`. */
  readonly scale?: number;
  readonly min?: number;
  readonly max?: number;
  readonly outOfRange: 'reject' | 'flag';
  readonly priority: PriorityName;
}

interface AlarmBase {
  readonly name: string;
  readonly metric: string;
  readonly event: string;
  readonly severity: SeverityName;
  readonly message: string;
}
export interface ThresholdAlarm extends AlarmBase {
  readonly kind: 'threshold';
  readonly above?: number;
  readonly below?: number;
  readonly clear: number;
}
export interface StateAlarm extends AlarmBase {
  readonly kind: 'state';
  readonly equals: readonly ScalarValue[];
}
export interface ChangeAlarm extends AlarmBase {
  readonly kind: 'change';
}
export type AlarmRule = ThresholdAlarm | StateAlarm | ChangeAlarm;

export interface CommandDef {
  readonly name: string;
  readonly description: string;
  /** Message of the [downlink] layout (encodePayload's type), or undefined for a layout without messages / a script. */
  readonly message?: string;
  readonly values: Readonly<Record<string, ScalarValue>>;
  readonly params: readonly string[];
}

export interface ExpectedEvent {
  readonly type: string;
  readonly active?: boolean;
  readonly severity?: SeverityName;
}

export interface Vector {
  readonly index: number;
  readonly name: string;
  readonly hex?: string;
  readonly lwm2m?: Readonly<Record<string, ScalarValue>>;
  readonly readings?: Readonly<Record<string, ScalarValue>>;
  readonly events?: readonly ExpectedEvent[];
  readonly error?: string;
  readonly errorMatch?: string;
  readonly command?: string;
  readonly params?: Readonly<Record<string, ScalarValue>>;
  readonly reset: boolean;
}

export interface ScriptRef {
  readonly file: string;
  readonly source: string;
  readonly timeoutMs: number;
  readonly memoryMb: number;
}

/**
 * Decodes a vector's bytes as a transport adapter decodes its wire frames: the serial and HJ 212
 * adapters provide one for profiles with `[transport.serial]` / `[transport.hj212]` (their
 * readings are named by the binding, so every value passes on; [metrics] check them).
 */
export interface WireDecoder {
  readonly protocol: string;
  decode(bytes: Uint8Array): { values: { name: string; value: ScalarValue; unit?: string }[] };
}

export interface Profile {
  /** "<vendor dir>/<model file>" without .toml, e.g. "acme/wm-100". */
  readonly id: string;
  readonly file: string;
  readonly vendor: string;
  readonly model: string;
  readonly description: string;
  readonly aliases: readonly string[];
  readonly firmware: VersionRange;
  readonly reportingIntervalS?: number;
  readonly match: MatchRules;
  readonly transport: TransportBindings;
  readonly layout?: Layout;
  readonly downlink?: Layout;
  readonly script?: ScriptRef;
  /** The transport adapter's frame decoder (serial, HJ 212 profiles): decodes vectors' bytes. */
  readonly wire?: WireDecoder;
  /** By metric name; empty = every decoded value passes as a reading. */
  readonly metrics: ReadonlyMap<string, MetricDef>;
  readonly alarms: readonly AlarmRule[];
  readonly commands: ReadonlyMap<string, CommandDef>;
  readonly vectors: readonly Vector[];
  /** Non-fatal findings (lint shows them). */
  readonly warnings: readonly string[];
}
