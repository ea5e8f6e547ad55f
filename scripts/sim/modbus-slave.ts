/**
 * Simulated Modbus RTU slaves on one serial line (modbus-serial's ServerSerial answering every
 * unit id it knows). Faults for tests: a unit can be dead (never answers) or send replies with a
 * corrupted CRC. Used by the serial tests and the demo:
 *   node dist/scripts/sim/modbus-slave.js /dev/pts/N [baud]   (units 1 and 2, air-quality map)
 */
import { pathToFileURL } from 'node:url';
import modbusSerial from 'modbus-serial';
import { serverSerialPort } from './modbus-serial-internals.js';

type Server = InstanceType<typeof modbusSerial.ServerSerial>;

export interface SimUnit {
  holding?: Map<number, number>;
  input?: Map<number, number>;
  coils?: Map<number, boolean>;
  discrete?: Map<number, boolean>;
}

export class ModbusSlaveSim {
  readonly units = new Map<number, SimUnit>();
  readonly dead = new Set<number>();
  readonly corruptCrc = new Set<number>();
  /** Register and bit reads per unit (also for dead units). */
  readonly reads = new Map<number, number>();
  private server: Server | undefined;

  constructor(
    readonly path: string,
    readonly baudRate = 9600,
    readonly parity: 'none' | 'even' | 'odd' = 'none',
  ) {}

  async start(): Promise<void> {
    const reg =
      (kind: 'holding' | 'input') =>
      (addr: number, unit: number): number => {
        this.reads.set(unit, (this.reads.get(unit) ?? 0) + 1);
        const v = this.units.get(unit)?.[kind]?.get(addr);
        if (v === undefined) throw Object.assign(new Error('illegal data address'), { modbusErrorCode: 2 });
        return v;
      };
    const bit =
      (kind: 'coils' | 'discrete') =>
      (addr: number, unit: number): boolean => {
        this.reads.set(unit, (this.reads.get(unit) ?? 0) + 1);
        const v = this.units.get(unit)?.[kind]?.get(addr);
        if (v === undefined) throw Object.assign(new Error('illegal data address'), { modbusErrorCode: 2 });
        return v;
      };
    const vector = {
      getHoldingRegister: reg('holding'),
      getInputRegister: reg('input'),
      getCoil: bit('coils'),
      getDiscreteInput: bit('discrete'),
    };
    let port: { write(b: Buffer): void } | undefined;
    const portResponse = {
      write: (b: Buffer): void => {
        const unit = b[0];
        if (unit === undefined || this.dead.has(unit) || !this.units.has(unit)) return;
        const out = Buffer.from(b);
        if (this.corruptCrc.has(unit)) out[out.length - 1]! ^= 0x5a;
        port?.write(out);
      },
    };
    const server = new modbusSerial.ServerSerial(
      vector as never,
      { path: this.path, baudRate: this.baudRate, parity: this.parity, unitID: 255, portResponse } as never,
    );
    this.server = server;
    port = serverSerialPort(server);
    await new Promise<void>((resolve, reject) => {
      server.on('initialized', () => resolve());
      server.on('error', (e: unknown) => reject(e as Error));
    });
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (s) await new Promise<void>((r) => s.close(() => r()));
  }
}

/** Input registers of a Beijing-columns air-quality station (0..10: PM2.5 … wind speed, ×10 where fractional). */
export function airQualityUnit(values: {
  pm2_5: number;
  pm10: number;
  so2: number;
  no2: number;
  co: number;
  o3: number;
  temp: number;
  pres: number;
  dewp: number;
  rain: number;
  wspm: number;
}): SimUnit {
  const input = new Map<number, number>();
  const u16 = (a: number, v: number): void => {
    input.set(a, Math.round(v) & 0xffff);
  };
  const i16 = (a: number, v: number): void => {
    input.set(a, Math.round(v) & 0xffff);
  };
  u16(0, values.pm2_5);
  u16(1, values.pm10);
  u16(2, values.so2);
  u16(3, values.no2);
  u16(4, values.co / 10);
  u16(5, values.o3);
  i16(6, values.temp * 10);
  u16(7, values.pres * 10);
  i16(8, values.dewp * 10);
  u16(9, values.rain * 10);
  u16(10, values.wspm * 10);
  return { input };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [path, baud] = process.argv.slice(2);
  if (!path) {
    console.error('usage: modbus-slave PATH [BAUD]');
    process.exit(2);
  }
  const sim = new ModbusSlaveSim(path, Number(baud ?? 9600));
  sim.units.set(
    1,
    airQualityUnit({
      pm2_5: 35,
      pm10: 60,
      so2: 6,
      no2: 40,
      co: 700,
      o3: 50,
      temp: 12.5,
      pres: 1018.2,
      dewp: -3.1,
      rain: 0,
      wspm: 2.3,
    }),
  );
  sim.units.set(
    2,
    airQualityUnit({
      pm2_5: 80,
      pm10: 110,
      so2: 12,
      no2: 55,
      co: 1200,
      o3: 20,
      temp: 8.1,
      pres: 1021.0,
      dewp: -8.4,
      rain: 0.2,
      wspm: 1.1,
    }),
  );
  await sim.start();
  console.log(`modbus slaves 1, 2 on ${path}`);
}
