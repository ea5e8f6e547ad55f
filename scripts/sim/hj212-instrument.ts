/**
 * A simulated HJ 212 data acquisition instrument (the TCP client side): builds real-time, minute,
 * hourly and daily uploads, sends them whole, split across TCP segments or several in one
 * segment, and collects the platform's replies. Used by the tests, the hj212 benchmark and the demo:
 *   node dist/scripts/sim/hj212-instrument.js HOST PORT [MN] [PW]   (sends a 2011 upload every 5 s)
 */
import { connect, type Socket } from 'node:net';
import { pathToFileURL } from 'node:url';
import { encodeFrame, Hj212Deframer } from '../../edge/southbound/hj212/frame.js';
import { buildSegment, parseSegment, type Hj212Packet } from '../../edge/southbound/hj212/segment.js';

export interface FactorValues {
  /** Rtd for 2011, Avg/Min/Max/Cou for the others. */
  [field: string]: string | number;
}

export interface UploadInput {
  cn: '2011' | '2051' | '2061' | '2031';
  mn: string;
  pw: string;
  /** Instrument local time, YYYYMMDDhhmmss. */
  dataTime: string;
  factors: Record<string, FactorValues>;
  qn?: string;
  st?: string;
  /** Flag: 5 = HJ 212-2017 with reply wanted (default), 4 = no reply. */
  flag?: number;
}

let qnSeq = 0;

/** A fresh QN: YYYYMMDDhhmmsszzz (local time of the instrument). */
export function nextQn(): string {
  const d = new Date(Date.now() + 8 * 3600_000);
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}${p((d.getUTCMilliseconds() + qnSeq++) % 1000, 3)}`;
}

/** The frame of one data upload. */
export function uploadFrame(u: UploadInput): Buffer {
  const groups = Object.entries(u.factors).map(([code, fields]) =>
    Object.entries(fields).map(([f, v]) => [`${code}-${f}`, String(v)] as const),
  );
  const cp = [[['DataTime', u.dataTime] as const], ...groups];
  return encodeFrame(
    buildSegment({ qn: u.qn ?? nextQn(), st: u.st ?? '32', cn: u.cn, pw: u.pw, mn: u.mn, flag: u.flag ?? 5, cp }),
  );
}

export class SimInstrument {
  readonly replies: Hj212Packet[] = [];
  private readonly deframer = new Hj212Deframer();
  private waiters: (() => void)[] = [];
  private constructor(readonly socket: Socket) {
    socket.on('data', (d: Buffer) => {
      for (const ev of this.deframer.push(d))
        if (ev.type === 'frame') this.replies.push(parseSegment(ev.frame.segment));
      const w = this.waiters;
      this.waiters = [];
      for (const f of w) f();
    });
    socket.on('close', () => {
      for (const f of this.waiters) f();
      this.waiters = [];
    });
    socket.on('error', () => {
      /* close follows */
    });
  }

  static async connect(host: string, port: number): Promise<SimInstrument> {
    const s = connect({ host, port, noDelay: true });
    await new Promise<void>((resolve, reject) => {
      s.once('connect', resolve);
      s.once('error', reject);
    });
    return new SimInstrument(s);
  }

  get closed(): boolean {
    return this.socket.destroyed || this.socket.readyState === 'closed';
  }

  /** Writes bytes as one TCP segment (Nagle is off); resolves when handed to the kernel. */
  write(bytes: Buffer): Promise<void> {
    return new Promise((resolve, reject) => this.socket.write(bytes, (e) => (e ? reject(e) : resolve())));
  }

  /** Resolves with the reply echoing `qn`, or rejects after `timeoutMs`. */
  async reply(qn: string, timeoutMs = 5000): Promise<Hj212Packet> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const r = this.replies.find((p) => p.qn === qn);
      if (r) return r;
      if (this.closed) throw new Error(`connection closed before the reply to ${qn}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no reply to QN ${qn} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Resolves once `n` replies have arrived in total. */
  async replyCount(n: number, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.replies.length < n) {
      if (this.closed) throw new Error(`connection closed after ${this.replies.length} of ${n} replies`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${this.replies.length} of ${n} replies within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  close(): void {
    this.socket.destroy();
  }
}

function localTime(ms: number): string {
  const d = new Date(ms + 8 * 3600_000);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [host, port, mn = '88888880000001', pw = '123456'] = process.argv.slice(2);
  if (!host || !port) {
    console.error('usage: hj212-instrument HOST PORT [MN] [PW]');
    process.exit(2);
  }
  const inst = await SimInstrument.connect(host, Number(port));
  setInterval(() => {
    const qn = nextQn();
    const cod = (20 + Math.random() * 10).toFixed(2);
    void inst
      .write(
        uploadFrame({
          cn: '2011',
          mn,
          pw,
          qn,
          dataTime: localTime(Date.now()),
          factors: {
            w01018: { Rtd: cod, Flag: 'N' },
            w21003: { Rtd: (0.5 + Math.random()).toFixed(3), Flag: 'N' },
            w01001: { Rtd: '7.12', Flag: 'N' },
            w00000: { Rtd: '12.5', Flag: 'N' },
          },
        }),
      )
      .then(() => inst.reply(qn))
      .then(
        () => console.log(`${qn} confirmed`),
        (e: Error) => console.error(e.message),
      );
  }, 5000);
}
