/**
 * A walk over the wire bytes of a BatchBody that counts, without allocating per element, what each
 * device block and event would decode to: entries of every column, timelines, series, attributes.
 * The decoder (batch-decode.ts) checks these counts against its limits and against each other
 * before it lets protobufjs build a single object, so the memory a batch can cost is bounded by
 * the readings it declares, not by what its bytes claim (a Timeline's `count`, 8 million empty
 * sub-messages in a 16 KB deflated body).
 *
 * Field numbers are those of proto/yiwang.proto; a known field with an unexpected wire type is
 * skipped, as protobufjs does. Framing errors (a length past the end, a truncated varint, groups)
 * throw a ScanError: such a body is not a protobuf message at all.
 */

export class ScanError extends Error {}

/** What one DeviceData (or one of its value columns) holds, counted from its bytes. */
export interface BlockScan {
  /** Byte range of the DeviceData within the body. */
  start: number;
  end: number;
  /** Byte range of the (last) device_id; idEnd === idStart when absent. */
  idStart: number;
  idEnd: number;
  timelines: number;
  /** Delta entries over all timelines. */
  deltas: number;
  /** metric entries = series. */
  series: number;
  /** Entries of the longest per-series column (unit, kind, scale, timeline, absent_count, priority, clock). */
  perSeries: number;
  unitText: number;
  absent: number;
  ints: number;
  floats: number;
  bools: number;
  strings: number;
}

export interface EventScan {
  start: number;
  end: number;
  attributes: number;
}

export interface BodyScan {
  blocks: BlockScan[];
  events: EventScan[];
  values: number;
}

/** Values of a block: one entry per reading, in whichever value column its series uses. */
export const blockValues = (b: BlockScan): number => b.ints + b.floats + b.bools + b.strings;

class Walker {
  /** Start of the last length-delimited payload skipped (its end is `pos`). */
  start = 0;
  constructor(
    readonly buf: Uint8Array,
    public pos: number,
    public end: number,
  ) {}

  /**
   * A varint as protobufjs reads a tag or a length: at most 10 bytes, the low 32 bits kept (a double
   * would lose them past 2^53, and the two readers must agree on every field boundary).
   */
  uint32(): number {
    let v = 0;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new ScanError(`truncated varint at byte ${this.pos}`);
      const b = this.buf[this.pos++]!;
      if (i < 5) v = (v | ((b & 0x7f) << (7 * i))) >>> 0;
      if (b < 0x80) return v;
    }
    throw new ScanError(`varint longer than 10 bytes at byte ${this.pos}`);
  }

  /** A tag: [field number, wire type]; field 0 is not a field. */
  tag(): number {
    const t = this.uint32();
    if (t >>> 3 === 0) throw new ScanError(`field number 0 at byte ${this.pos}`);
    return t;
  }

  /** Skips a field of wire type `wt`; a length-delimited payload is [start, pos). */
  skip(wt: number): void {
    switch (wt) {
      case 0:
        this.uint32();
        return;
      case 1:
        this.advance(8);
        return;
      case 2:
        this.advance(this.uint32());
        return;
      case 5:
        this.advance(4);
        return;
      default:
        throw new ScanError(`wire type ${wt} at byte ${this.pos}`);
    }
  }

  private advance(n: number): void {
    if (n > this.end - this.pos) throw new ScanError(`field of ${n} bytes past the end at byte ${this.pos}`);
    this.start = this.pos;
    this.pos += n;
  }
}

/** Varints in a packed run: bytes without the continuation bit; the last byte must end one. */
function packedVarints(buf: Uint8Array, start: number, end: number): number {
  if (end > start && buf[end - 1]! >= 0x80) throw new ScanError(`truncated packed varint before byte ${end}`);
  let n = 0;
  for (let i = start; i < end; i++) if (buf[i]! < 0x80) n++;
  return n;
}

/** The end of a length-delimited payload of `n` bytes starting at w.pos (checked against the walker's end). */
function checkedEnd(w: Walker, n: number): number {
  if (n > w.end - w.pos) throw new ScanError(`field of ${n} bytes past the end at byte ${w.pos}`);
  return w.pos + n;
}

/** Entries of a repeated varint field occurrence (packed or not). */
function varintEntries(w: Walker, wt: number): number {
  if (wt === 0) {
    w.uint32();
    return 1;
  }
  w.skip(wt);
  return wt === 2 ? packedVarints(w.buf, w.start, w.pos) : 0;
}

/** Delta entries of the Timeline in [w.pos, end) (the walker is reused: millions of them must not cost an object each). */
function scanTimeline(w: Walker, end: number): number {
  const outer = w.end;
  w.end = end;
  let deltas = 0;
  while (w.pos < end) {
    const tag = w.tag();
    if (tag >>> 3 === 3) deltas += varintEntries(w, tag & 7);
    else w.skip(tag & 7);
  }
  w.end = outer;
  return deltas;
}

function scanBlock(buf: Uint8Array, start: number, end: number): BlockScan {
  const b: BlockScan = {
    start,
    end,
    idStart: start,
    idEnd: start,
    timelines: 0,
    deltas: 0,
    series: 0,
    perSeries: 0,
    unitText: 0,
    absent: 0,
    ints: 0,
    floats: 0,
    bools: 0,
    strings: 0,
  };
  const perSeries = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]; // entries by field number (4, 6–11)
  const w = new Walker(buf, start, end);
  while (w.pos < end) {
    const tag = w.tag();
    const field = tag >>> 3,
      wt = tag & 7;
    if (wt === 2 && field === 1) {
      w.skip(2);
      b.idStart = w.start;
      b.idEnd = w.pos;
    } else if (wt === 2 && field === 2) {
      const n = w.uint32();
      b.timelines++;
      b.deltas += scanTimeline(w, checkedEnd(w, n));
    } else if (wt === 2 && field === 3) {
      w.skip(2);
      b.series++;
    } else if (wt === 2 && field === 5) {
      w.skip(2);
      b.unitText++;
    } else if (wt === 2 && field === 15) {
      w.skip(2);
      b.strings++;
    } else if (field === 12) b.ints += varintEntries(w, wt);
    else if (field === 14) b.bools += varintEntries(w, wt);
    else if (field === 16) b.absent += varintEntries(w, wt);
    else if (field === 13 && wt === 1) {
      w.skip(1);
      b.floats++;
    } else if (field === 13 && wt === 2) {
      w.skip(2);
      const n = w.pos - w.start;
      if (n % 8 !== 0) throw new ScanError(`packed doubles of ${n} bytes at byte ${w.start}`);
      b.floats += n / 8;
    } else if (field >= 4 && field <= 11 && field !== 5) perSeries[field]! += varintEntries(w, wt);
    else w.skip(wt);
  }
  b.perSeries = Math.max(...perSeries);
  return b;
}

function scanEvent(buf: Uint8Array, start: number, end: number): EventScan {
  const w = new Walker(buf, start, end);
  let attributes = 0;
  while (w.pos < end) {
    const tag = w.tag();
    if (tag >>> 3 === 8 && (tag & 7) === 2) attributes++;
    w.skip(tag & 7);
  }
  return { start, end, attributes };
}

export interface ScanLimits {
  maxDevices: number;
  maxEvents: number;
}

/**
 * Scans a BatchBody. Throws ScanError on broken framing and RangeError when it holds more device
 * blocks or events than `limits` allow (counted before any block is scanned in depth).
 */
export function scanBody(buf: Uint8Array, limits: ScanLimits): BodyScan {
  const w = new Walker(buf, 0, buf.length);
  const blocks: [number, number][] = [];
  const events: [number, number][] = [];
  while (w.pos < buf.length) {
    const tag = w.tag();
    const field = tag >>> 3,
      wt = tag & 7;
    w.skip(wt);
    if (wt !== 2) continue;
    const range: [number, number] = [w.start, w.pos];
    if (field === 1) {
      if (blocks.push(range) > limits.maxDevices) throw new RangeError(`more than ${limits.maxDevices} device blocks`);
    } else if (field === 2) {
      if (events.push(range) > limits.maxEvents) throw new RangeError(`more than ${limits.maxEvents} events`);
    }
  }
  const scanned = blocks.map(([s, e]) => scanBlock(buf, s, e));
  return {
    blocks: scanned,
    events: events.map(([s, e]) => scanEvent(buf, s, e)),
    values: scanned.reduce((n, b) => n + blockValues(b), 0),
  };
}
