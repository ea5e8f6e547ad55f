/**
 * Simulated DL/T 645-2007 electricity meters and CJ/T 188-2004 water/heat/gas meters on one
 * serial line (the device end of a socat pty pair). Each meter answers reads of its address, and
 * the broadcast address read; faults for tests: `dead` (never answers) and `badChecksum`.
 *   node dist/scripts/sim/meters.js dlt645|cjt188 PATH [BAUD]   (one meter, demo values)
 */
import { pathToFileURL } from 'node:url';
import { SerialPort } from 'serialport';
import * as dlt from '../../edge/southbound/dlt645/codec.js';
import { scanFrame as scanDlt } from '../../edge/southbound/dlt645/frame.js';
import type { Dlt645Scalar } from '../../edge/southbound/dlt645/data-ids.js';
import * as cjt from '../../edge/southbound/cjt188/codec.js';
import { scanFrame as scanCjt } from '../../edge/southbound/cjt188/frame.js';
import type { Cjt188ContentInput } from '../../edge/southbound/cjt188/data-ids.js';

export interface SimDltMeter {
  /** DI (8 hex digits) → named values, as buildReadResponse takes them. */
  values: Map<string, Record<string, Dlt645Scalar>>;
}

export interface SimCjtMeter {
  meterType: number;
  /** DI (4 hex digits) → content. */
  values: Map<string, Cjt188ContentInput>;
}

export class MeterBusSim {
  readonly dlt645 = new Map<string, SimDltMeter>();
  readonly cjt188 = new Map<string, SimCjtMeter>();
  readonly dead = new Set<string>();
  readonly badChecksum = new Set<string>();
  /** Requests seen per address (dead meters included). */
  readonly requests = new Map<string, number>();
  private port: SerialPort | undefined;
  private rx: Buffer = Buffer.alloc(0);

  constructor(
    readonly protocol: 'dlt645' | 'cjt188',
    readonly path: string,
    readonly baudRate = 2400,
    readonly parity: 'none' | 'even' = 'even',
  ) {}

  async start(): Promise<void> {
    const port = new SerialPort({ path: this.path, baudRate: this.baudRate, parity: this.parity, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
    port.on('data', (d: Buffer) => this.onData(d));
    port.on('error', () => {});
    this.port = port;
  }

  async stop(): Promise<void> {
    const p = this.port;
    this.port = undefined;
    if (p?.isOpen) await new Promise<void>((r) => p.close(() => r()));
  }

  private count(address: string): void {
    this.requests.set(address, (this.requests.get(address) ?? 0) + 1);
  }

  private send(address: string, frame: Buffer): void {
    if (this.dead.has(address)) return;
    const out = Buffer.from(frame);
    if (this.badChecksum.has(address)) out[out.length - 2]! ^= 0xff; // a frame ends checksum, end byte
    this.port?.write(out);
  }

  private onData(d: Buffer): void {
    this.rx = Buffer.concat([this.rx, d]);
    for (;;) {
      const s = this.protocol === 'dlt645' ? scanDlt(this.rx) : scanCjt(this.rx);
      if (s.kind === 'partial') {
        this.rx = this.rx.subarray(s.skip);
        return;
      }
      this.rx = this.rx.subarray(s.consumed);
      if (s.kind === 'frame') {
        try {
          if (this.protocol === 'dlt645')
            this.dltRequest(dlt.decodeRequest(s.frame as Parameters<typeof dlt.decodeRequest>[0]));
          else this.cjtRequest(cjt.decodeRequest(s.frame as Parameters<typeof cjt.decodeRequest>[0]));
        } catch {
          /* not a request (our own echo) or malformed: a meter stays silent */
        }
      }
    }
  }

  private dltRequest(r: dlt.Dlt645Request): void {
    if (r.kind === 'read-address') {
      for (const a of this.dlt645.keys()) {
        this.count(a);
        this.send(a, dlt.buildReadAddressResponse(a));
      }
      return;
    }
    if (r.kind !== 'read') return;
    const m = this.dlt645.get(r.address);
    if (!m) return;
    this.count(r.address);
    const v = m.values.get(r.di);
    this.send(
      r.address,
      v ? dlt.buildReadResponse(r.address, r.di, v) : dlt.buildExceptionResponse(r.address, 0x11, 0x02),
    );
  }

  private cjtRequest(r: cjt.Cjt188Request): void {
    if (r.kind === 'read-address') {
      for (const [a, m] of this.cjt188)
        if (m.meterType === r.meterType) {
          this.count(a);
          this.send(a, cjt.buildReadAddressResponse(m.meterType, a, r.ser));
        }
      return;
    }
    if (r.kind !== 'read') return;
    const m = this.cjt188.get(r.address);
    if (!m) return;
    this.count(r.address);
    const v = m.values.get(r.di);
    this.send(
      r.address,
      v
        ? cjt.buildReadResponse(m.meterType, r.address, r.di, r.ser, v)
        : cjt.buildExceptionResponse(m.meterType, r.address, 0x01, r.ser, 0),
    );
  }
}

/** A single-phase meter's usual values. */
export function singlePhaseMeter(energyKwh: number, volts: number, amps: number, kw: number): SimDltMeter {
  return {
    values: new Map<string, Record<string, Dlt645Scalar>>([
      ['00000000', { combined_active_energy_total: energyKwh }],
      ['00010000', { forward_active_energy_total: energyKwh }],
      ['02010100', { voltage_a: volts }],
      ['02020100', { current_a: amps }],
      ['02030000', { active_power_total: kw }],
    ]),
  };
}

/** A water meter's 901F content. */
export function waterMeter(m3: number): SimCjtMeter {
  return {
    meterType: 0x10,
    values: new Map([
      ['901F', { cumulative_volume: m3, settlement_volume: Math.floor(m3), meter_time: null, status: 0 }],
    ]),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [protocol, path, baud] = process.argv.slice(2);
  if ((protocol !== 'dlt645' && protocol !== 'cjt188') || !path) {
    console.error('usage: meters dlt645|cjt188 PATH [BAUD]');
    process.exit(2);
  }
  const sim = new MeterBusSim(protocol, path, Number(baud ?? 2400));
  if (protocol === 'dlt645') sim.dlt645.set('000000000161', singlePhaseMeter(1234.56, 220.1, 5.123, 1.1275));
  else sim.cjt188.set('12345678901234', waterMeter(4321.09));
  await sim.start();
  console.log(`${protocol} meter on ${path}`);
}
