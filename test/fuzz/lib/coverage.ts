/**
 * Coverage feedback from V8's precise block coverage (the inspector's Profiler domain, in-process):
 * a "feature" is one block of project or library code that ran. V8 reports a block only where its
 * count differs from the enclosing range, so a block once seen with count 0 and later run exactly
 * as often as its function disappears from the report; every range ever reported is therefore
 * remembered per function and looked up in the innermost reported range that contains it.
 *
 * takePreciseCoverage costs about a millisecond, so the engine takes it once per batch of inputs
 * and re-runs a batch input by input only when the batch as a whole reached something new.
 */
import { Session } from 'node:inspector';

interface Range {
  startOffset: number;
  endOffset: number;
  count: number;
}
interface FunctionCoverage {
  functionName: string;
  ranges: Range[];
}
interface ScriptCoverage {
  scriptId: string;
  url: string;
  functions: FunctionCoverage[];
}

/** Scripts whose blocks count: the project's sources and the parsing libraries, not the harness. */
const COUNTED =
  /^file:\/\/.*\/(edge|cloud|proto|common)\/|node_modules\/(coap-packet|coap|cborg|smol-toml|xml2js|sax|onvif|protobufjs|@protobufjs|modbus-serial)\//;
const SKIPPED = /\/test\/|node_modules\/(fast-check|typescript|@tapjs|tap|@isaacs)\//;

export class Coverage {
  private readonly session = new Session();
  /** Every range ever reported, per function key, as "start:end". */
  private readonly universe = new Map<string, Set<string>>();
  /** Features (function key + range) seen so far. */
  private readonly seen = new Set<string>();

  constructor() {
    this.session.connect();
    this.post('Profiler.enable');
    this.post('Profiler.startPreciseCoverage', { callCount: true, detailed: true });
    this.take(); // start from zero
  }

  get size(): number {
    return this.seen.size;
  }

  private post(method: string, params: object = {}): unknown {
    let out: unknown,
      failure: Error | null = null;
    // Same-thread inspector sessions answer synchronously.
    this.session.post(method, params, (err, res) => {
      failure = err;
      out = res;
    });
    if (failure) throw failure;
    return out;
  }

  private take(): ScriptCoverage[] {
    return (this.post('Profiler.takePreciseCoverage') as { result: ScriptCoverage[] }).result;
  }

  /** Features covered since the last call (counters reset). */
  features(): Set<string> {
    const out = new Set<string>();
    for (const sc of this.take()) {
      if (!COUNTED.test(sc.url) || SKIPPED.test(sc.url)) continue;
      for (const fn of sc.functions) {
        const root = fn.ranges[0];
        if (!root || root.count === 0) continue;
        const key = `${sc.url}#${root.startOffset}`;
        let known = this.universe.get(key);
        if (!known) {
          known = new Set();
          this.universe.set(key, known);
        }
        for (const r of fn.ranges) known.add(`${r.startOffset}:${r.endOffset}`);
        for (const k of known) {
          const [s, e] = k.split(':').map(Number) as [number, number];
          // innermost reported range containing [s, e): ranges are listed outermost first
          let count = root.count;
          for (const r of fn.ranges) if (r.startOffset <= s && r.endOffset >= e) count = r.count;
          if (count > 0) out.add(`${key}@${k}`);
        }
      }
    }
    return out;
  }

  /** Adds features; returns how many were new. */
  merge(features: Set<string>): number {
    let n = 0;
    for (const f of features)
      if (!this.seen.has(f)) {
        this.seen.add(f);
        n++;
      }
    return n;
  }

  /** Whether any of the features is new (without adding them). */
  hasNew(features: Set<string>): boolean {
    for (const f of features) if (!this.seen.has(f)) return true;
    return false;
  }

  close(): void {
    try {
      this.post('Profiler.stopPreciseCoverage');
      this.session.disconnect();
    } catch {
      // already closed
    }
  }
}
