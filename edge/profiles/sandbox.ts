/**
 * The escape hatch: a profile's JavaScript `decodeUplink` / `encodeDownlink` run in QuickJS compiled
 * to WebAssembly (quickjs-emscripten). Why this engine: docs/reference/profiles.md, "Scripts".
 *
 * - No I/O: the script sees only the ECMAScript built-ins of a bare QuickJS context — no require,
 *   process, fetch, timers, file system or host objects; values cross as JSON strings.
 * - Time: an interrupt handler stops a call once it has used its limit (default and maximum 50 ms)
 *   of CPU time — so a decoder preempted on a loaded gateway is not mistaken for a loop — or, as a
 *   backstop, after ten times the limit (at least 0.5 s) of wall-clock time.
 * - Memory: each sandbox is its own WebAssembly instance whose linear memory is created with a
 *   hard maximum (memory_mb), so an allocation beyond it fails inside the script ("out of memory")
 *   and never grows the agent. (QuickJS's own malloc limit cannot count bytes in this build.)
 * After a timeout or an out-of-memory the script's runtime is thrown away and re-created, so the
 * next call starts clean; other profiles' sandboxes are separate instances and never affected.
 */
import {
  newQuickJSWASMModuleFromVariant,
  newVariant,
  type QuickJSContext,
  type QuickJSHandle,
  type QuickJSRuntime,
  type QuickJSSyncVariant,
  type QuickJSWASMModule,
} from 'quickjs-emscripten-core';
import releaseSyncImport from '@jitl/quickjs-wasmfile-release-sync';
import { YiwangError } from '../../common/errors.js';
import type { LayoutValue } from './layout/index.js';
import type { ScalarValue, ScriptRef } from './types.js';

// The package's types describe its CommonJS face; at run time the ESM default is the variant itself.
const releaseSync = ((releaseSyncImport as unknown as { default?: QuickJSSyncVariant }).default ??
  releaseSyncImport) as unknown as QuickJSSyncVariant;
const PAGE = 65_536;
/** Linear memory QuickJS needs before a script allocates anything (the build's initial memory). */
const BASE_MB = 16;
const MAX_RESULT_CHARS = 65_536;

/** CPU time of this process (user + system), µs. */
function cpuMicros(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

const BOOTSTRAP = `(function () {
  var g = globalThis;
  return function (kind, json) {
    var f = kind === 'decode' ? g.decodeUplink : g.encodeDownlink;
    if (typeof f !== 'function') throw new TypeError((kind === 'decode' ? 'decodeUplink' : 'encodeDownlink') + ' is not defined by the script');
    var out = f(JSON.parse(json));
    return JSON.stringify(out === undefined ? null : out);
  };
})()`;

export interface ScriptDecoded {
  values: LayoutValue[];
  warnings: string[];
}

function isPlain(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Flattens `{ a: 1, b: { c: true } }` → a = 1, b.c = true; arrays are refused. */
function flatten(prefix: string, v: unknown, out: LayoutValue[], where: string): void {
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') {
    out.push({ name: prefix, value: v });
    return;
  }
  if (v === null) return;
  if (isPlain(v)) {
    for (const [k, x] of Object.entries(v)) flatten(prefix ? `${prefix}.${k}` : k, x, out, where);
    return;
  }
  throw new YiwangError(
    'PROFILE_ERR_SCRIPT',
    `${where}: decodeUplink data.${prefix} must be a number, boolean, string or object (got ${Array.isArray(v) ? 'an array' : typeof v})`,
  );
}

export class ScriptSandbox {
  private runtime!: QuickJSRuntime;
  private context!: QuickJSContext;
  private call!: QuickJSHandle;
  /** Wall-clock backstop (performance.now() ms) and CPU budget (process CPU µs) of the running call. */
  private deadline = 0;
  private cpuDeadline = 0;
  /** Before this wall-clock time the call cannot have used its CPU budget yet (no need to ask the OS). */
  private cpuCheckFrom = 0;
  /** Calls stopped for time or memory (for status and tests). */
  readonly counters = { calls: 0, timeouts: 0, outOfMemory: 0, errors: 0, restarts: 0 };

  private constructor(
    private readonly module: QuickJSWASMModule,
    readonly ref: ScriptRef,
    readonly where: string,
  ) {
    this.boot();
  }

  /** Instantiates a separate WebAssembly instance (about 10 ms) and evaluates the script in it. */
  static async create(ref: ScriptRef, where: string): Promise<ScriptSandbox> {
    const maxPages = Math.max(BASE_MB + ref.memoryMb, BASE_MB + 1) * (2 ** 20 / PAGE);
    const memory = new WebAssembly.Memory({ initial: BASE_MB * (2 ** 20 / PAGE), maximum: maxPages });
    const module = await newQuickJSWASMModuleFromVariant(newVariant(releaseSync, { wasmMemory: memory }));
    return new ScriptSandbox(module, ref, where);
  }

  private boot(): void {
    this.runtime = this.module.newRuntime();
    this.runtime.setMaxStackSize(256 * 1024);
    this.runtime.setInterruptHandler(() => {
      const now = performance.now();
      return now > this.deadline || (now > this.cpuCheckFrom && cpuMicros() > this.cpuDeadline);
    });
    this.arm(Math.max(this.ref.timeoutMs * 4, 200)); // loading may compile more
    this.context = this.runtime.newContext();
    const loaded = this.context.evalCode(this.ref.source, this.ref.file);
    if (loaded.error) {
      const e = this.context.dump(loaded.error) as { name?: string; message?: string };
      loaded.error.dispose();
      this.dispose();
      throw new YiwangError(
        'PROFILE_ERR_SCRIPT',
        `${this.where}: the script fails to load: ${e?.name ?? 'Error'}: ${e?.message ?? String(e)}`,
      );
    }
    loaded.value.dispose();
    const boot = this.context.evalCode(BOOTSTRAP, 'yiwang-bootstrap.js');
    this.call = this.context.unwrapResult(boot);
  }

  /** Starts the limits of one call (or of loading the script): limitMs of CPU, 10 × that (≥ 0.5 s) of wall clock. */
  private arm(limitMs: number): void {
    const now = performance.now();
    this.cpuDeadline = cpuMicros() + limitMs * 1000;
    this.cpuCheckFrom = now + limitMs;
    this.deadline = now + Math.max(limitMs * 10, 500);
  }

  private restart(): void {
    this.counters.restarts++;
    this.dispose();
    this.boot();
  }

  /** Runs kind(input) in the sandbox; returns its JSON result parsed. */
  private run(kind: 'decode' | 'encode', input: unknown): unknown {
    this.counters.calls++;
    const json = JSON.stringify(input);
    const k = this.context.newString(kind);
    const a = this.context.newString(json);
    const started = cpuMicros();
    this.arm(this.ref.timeoutMs);
    const res = this.context.callFunction(this.call, this.context.undefined, k, a);
    k.dispose();
    a.dispose();
    if (res.error) {
      const e = this.context.dump(res.error) as { name?: string; message?: string } | string;
      res.error.dispose();
      const name = typeof e === 'object' && e ? (e.name ?? 'Error') : 'Error';
      const message = typeof e === 'object' && e ? (e.message ?? '') : String(e);
      if (name === 'InternalError' && message === 'interrupted') {
        const ran = Math.round((cpuMicros() - started) / 1000);
        this.counters.timeouts++;
        this.restart();
        throw new YiwangError(
          'PROFILE_ERR_SANDBOX_TIMEOUT',
          `${this.where}: ${kind === 'decode' ? 'decodeUplink' : 'encodeDownlink'} was stopped after ${ran} ms of CPU time (limit ${this.ref.timeoutMs} ms)`,
        );
      }
      if (name === 'InternalError' && /out of memory/.test(message)) {
        this.counters.outOfMemory++;
        this.restart();
        throw new YiwangError(
          'PROFILE_ERR_SANDBOX_MEMORY',
          `${this.where}: ${kind === 'decode' ? 'decodeUplink' : 'encodeDownlink'} ran out of memory (limit ${this.ref.memoryMb} MiB) and was stopped`,
        );
      }
      if (name === 'RangeError' && /stack/.test(message)) this.restart();
      this.counters.errors++;
      throw new YiwangError('PROFILE_ERR_SCRIPT', `${this.where}: ${name}: ${message}`);
    }
    const text = this.context.getString(res.value);
    res.value.dispose();
    if (text.length > MAX_RESULT_CHARS)
      throw new YiwangError(
        'PROFILE_ERR_SCRIPT',
        `${this.where}: the result is ${text.length} characters (at most ${MAX_RESULT_CHARS})`,
      );
    return JSON.parse(text) as unknown;
  }

  decodeUplink(bytes: Uint8Array, fPort?: number): ScriptDecoded {
    const out = this.run('decode', { bytes: Array.from(bytes), ...(fPort !== undefined ? { fPort } : {}) });
    if (!isPlain(out))
      throw new YiwangError(
        'PROFILE_ERR_SCRIPT',
        `${this.where}: decodeUplink must return { data, warnings?, errors? }`,
      );
    const errors = Array.isArray(out.errors) ? out.errors.map(String) : [];
    if (errors.length > 0)
      throw new YiwangError('PROFILE_ERR_SCRIPT', `${this.where}: decodeUplink: ${errors.join('; ')}`);
    if (!isPlain(out.data))
      throw new YiwangError('PROFILE_ERR_SCRIPT', `${this.where}: decodeUplink returned no data object`);
    const values: LayoutValue[] = [];
    flatten('', out.data, values, this.where);
    return { values, warnings: Array.isArray(out.warnings) ? out.warnings.map(String) : [] };
  }

  encodeDownlink(command: string, data: Readonly<Record<string, ScalarValue>>): Uint8Array {
    const out = this.run('encode', { command, data });
    if (!isPlain(out))
      throw new YiwangError('PROFILE_ERR_SCRIPT', `${this.where}: encodeDownlink must return { bytes, errors? }`);
    const errors = Array.isArray(out.errors) ? out.errors.map(String) : [];
    if (errors.length > 0)
      throw new YiwangError('PROFILE_ERR_SCRIPT', `${this.where}: encodeDownlink: ${errors.join('; ')}`);
    const b = out.bytes;
    if (!Array.isArray(b) || !b.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= 0 && x <= 255)) {
      throw new YiwangError(
        'PROFILE_ERR_SCRIPT',
        `${this.where}: encodeDownlink bytes must be an array of integers 0..255`,
      );
    }
    return Uint8Array.from(b as number[]);
  }

  dispose(): void {
    try {
      this.call?.alive && this.call.dispose();
      this.context?.alive && this.context.dispose();
      this.runtime?.alive && this.runtime.dispose();
    } catch {
      // A runtime that died inside QuickJS cannot be freed cleanly; its instance is dropped with this object.
    }
  }
}
