/**
 * Draining gateways: one process holds many simulated gateways, each a raw MQTT 3.1.1 connection
 * (like scripts/sim/fleet.ts: client id = username = gateway id, its secret, clean session,
 * keepalive 30 s, the offline Presence as retained will, its retained online Presence, a
 * subscription to its down tree) that sends a backlog of pre-encoded batches (QoS 1) on
 * yw/v1/gw/{id}/up/batch with `window` batches outstanding, the next one on each BatchAck
 * (yw/v1/gw/{id}/down/ack, sent by the cloud after its commit), the same bytes again after
 * `ackTimeoutMs` without one (same idempotency key), as the edge agent does.
 *
 * The backlogs are deterministic (`gatewayReadings`: Beijing-like hourly air-quality readings of
 * 4 stations per gateway, fixed seed) so that a benchmark can write the very same rows elsewhere.
 * `writeBatchFile` encodes them once into a file of records (u32 gateway index, u32 length, bytes)
 * that the simulator processes read.
 *
 * Forked as a process (bench/cluster.bench.ts), driven over IPC:
 *   → { start: DrainOptions }  ← { connected, refused, errors }
 *   → { go: true }             ← { done: DrainStats }  (every batch answered, or deadlineMs passed)
 *   → { stop: true }           ← { stopped: true }
 */
import { openSync, readFileSync, writeSync, closeSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { encodeBatch } from '../../proto/batch-codec.js';
import { AckStatus, ClockQuality, Priority, pb } from '../../proto/index.js';
import type { Reading } from '../../proto/reading.js';
import { topics } from '../../proto/topics.js';

export const STATIONS_PER_GATEWAY = 4;
const HOUR_MS = 3_600_000;

/** A small deterministic generator (LCG), as in fleet.ts. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296;
  };
}
const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));
const r1 = (v: number): number => Math.round(v * 10) / 10;

/**
 * The backlog of gateway `index`: `n` hourly readings (12 metrics of `STATIONS_PER_GATEWAY` stations,
 * the Beijing dataset's metrics, units and value ranges, random walks from a fixed seed), hour by
 * hour, ending at the hour before `endHourMs`.
 */
export function gatewayReadings(
  index: number,
  gatewayId: string,
  n: number,
  seed: number,
  endHourMs: number,
): Reading[] {
  const rand = rng(seed * 1_000_003 + index * 7919 + 1);
  const perHour = STATIONS_PER_GATEWAY * 12;
  const hours = Math.ceil(n / perHour);
  const start = endHourMs - hours * HOUR_MS;
  const st = Array.from({ length: STATIONS_PER_GATEWAY }, () => ({
    pm25: 20 + rand() * 150,
    so2: 3 + rand() * 30,
    no2: 20 + rand() * 60,
    co: 400 + rand() * 1500,
    o3: 10 + rand() * 100,
    temp: -5 + rand() * 30,
    pres: 1000 + rand() * 30,
    dewp: -15 + rand() * 20,
    wd: Math.floor(rand() * 16),
    ws: rand() * 4,
  }));
  const out: Reading[] = [];
  for (let h = 0; h < hours && out.length < n; h++) {
    const ts = start + h * HOUR_MS;
    for (let s = 0; s < STATIONS_PER_GATEWAY && out.length < n; s++) {
      const x = st[s]!;
      x.pm25 = clamp(x.pm25 + (rand() - 0.5) * 30, 3, 600);
      x.so2 = clamp(x.so2 + (rand() - 0.5) * 4, 2, 200);
      x.no2 = clamp(x.no2 + (rand() - 0.5) * 10, 2, 250);
      x.co = clamp(x.co + (rand() - 0.5) * 300, 100, 8000);
      x.o3 = clamp(x.o3 + (rand() - 0.5) * 20, 1, 350);
      x.temp = clamp(x.temp + (rand() - 0.5) * 2, -20, 40);
      x.pres = clamp(x.pres + (rand() - 0.5) * 1.5, 985, 1045);
      x.dewp = clamp(x.dewp + (rand() - 0.5) * 2, -35, 28);
      x.wd = (x.wd + (rand() < 0.3 ? (rand() < 0.5 ? 15 : 1) : 0)) % 16;
      x.ws = clamp(x.ws + (rand() - 0.5), 0, 12);
      const rain = rand() < 0.08 ? r1(rand() * 5) : 0;
      const values: [string, string, number][] = [
        ['pm2_5', 'ug/m3', Math.round(x.pm25)],
        ['pm10', 'ug/m3', Math.round(x.pm25 * (1.1 + rand() * 0.5))],
        ['so2', 'ug/m3', Math.round(x.so2)],
        ['no2', 'ug/m3', Math.round(x.no2)],
        ['co', 'ug/m3', Math.round(x.co / 100) * 100],
        ['o3', 'ug/m3', Math.round(x.o3)],
        ['temperature', 'Cel', r1(x.temp)],
        ['pressure', 'hPa', r1(x.pres)],
        ['dew_point', 'Cel', r1(x.dewp)],
        ['rain', 'mm', rain],
        ['wind_direction', 'deg', x.wd * 22.5],
        ['wind_speed', 'm/s', r1(x.ws)],
      ];
      const deviceId = `urn:dev:ops:${gatewayId}-aq-${s}`;
      for (const [metric, unit, value] of values) {
        if (out.length >= n) break;
        out.push({
          deviceId,
          metric,
          unit,
          ts,
          value,
          clock: ClockQuality.CLOCK_DEVICE,
          priority: Priority.PRIORITY_NORMAL,
        });
      }
    }
  }
  return out;
}

/** The batches of one backlog, `batchSize` readings each, keys (epoch, 1), (epoch, 2), … */
export function backlogBatches(gatewayId: string, readings: Reading[], batchSize: number, epoch: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0, seq = 1; i < readings.length; i += batchSize, seq++)
    out.push(encodeBatch({ gatewayId, epoch, seq }, readings.slice(i, i + batchSize)));
  return out;
}

/** Appends records (u32 gateway index, u32 length, batch) to an open file descriptor. */
export function writeBatchRecords(fd: number, index: number, batches: Uint8Array[]): number {
  let bytes = 0;
  for (const b of batches) {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(index, 0);
    head.writeUInt32BE(b.length, 4);
    writeSync(fd, head);
    writeSync(fd, b);
    bytes += 8 + b.length;
  }
  return bytes;
}

/** Reads the records of a batch file: gateway index → its batches in order. */
export function readBatchFile(path: string, only?: Set<number>): Map<number, Buffer[]> {
  const buf = readFileSync(path);
  const out = new Map<number, Buffer[]>();
  for (let off = 0; off + 8 <= buf.length; ) {
    const index = buf.readUInt32BE(off),
      len = buf.readUInt32BE(off + 4);
    const body = buf.subarray(off + 8, off + 8 + len);
    off += 8 + len;
    if (only && !only.has(index)) continue;
    const list = out.get(index);
    if (list) list.push(body);
    else out.set(index, [body]);
  }
  return out;
}

/** Opens `path` for writing batch records (closeBatchFile when done). */
export const openBatchFile = (path: string): number => openSync(path, 'w');
export const closeBatchFile = (fd: number): void => closeSync(fd);

export interface DrainGateway {
  index: number;
  id: string;
  secret: string;
  port: number;
}
export interface DrainOptions {
  host?: string;
  gateways: DrainGateway[];
  /** The batch file (writeBatchRecords). */
  file: string;
  /** Batches outstanding per gateway. */
  window: number;
  /** Resend a batch after this long without its BatchAck (the edge's sync.ack_timeout_ms, 15 s). */
  ackTimeoutMs?: number;
  /** Gateways dialling in per second (this process). */
  connectPerS?: number;
  /** Give up the drain after this long (ms). */
  deadlineMs?: number;
}
export interface DrainStats {
  gateways: number;
  batches: number;
  sent: number;
  resent: number;
  stored: number;
  duplicates: number;
  rejected: number;
  /** Readings the cloud confirmed stored (stored_readings of STORED acks). */
  ackedReadings: number;
  quarantinedReadings: number;
  /** Batches without an answer when the drain ended. */
  unanswered: number;
  closed: number;
  firstSendMs: number;
  lastAckMs: number;
}

// --- minimal MQTT 3.1.1 (what a gateway sends) ---
function varint(n: number): Buffer {
  const out: number[] = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return Buffer.from(out);
}
const u16 = (n: number): Buffer => {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
};
const str = (s: string | Uint8Array): Buffer => {
  const b = typeof s === 'string' ? Buffer.from(s) : Buffer.from(s);
  return Buffer.concat([u16(b.length), b]);
};
const packet = (first: number, body: Buffer): Buffer =>
  Buffer.concat([Buffer.from([first]), varint(body.length), body]);
function connectPacket(id: string, secret: string): Buffer {
  const will = pb.Presence.encode({ online: false, agentVersion: 'fleet-drain' }).finish();
  const flags = 0x80 | 0x40 | 0x20 | 0x08 | 0x04 | 0x02; // username, password, will retain, will QoS 1, will, clean session
  const header = Buffer.concat([str('MQTT'), Buffer.from([4, flags]), u16(30)]);
  return packet(0x10, Buffer.concat([header, str(id), str(topics.state(id)), str(will), str(id), str(secret)]));
}
const publish = (topic: string, payload: Uint8Array, qos: 0 | 1, retain: boolean, pid: number): Buffer =>
  packet(0x30 | (qos << 1) | (retain ? 1 : 0), Buffer.concat([str(topic), qos ? u16(pid) : Buffer.alloc(0), payload]));
const PINGREQ = Buffer.from([0xc0, 0]);

interface Outstanding {
  seq: number;
  bytes: Buffer;
  sentMs: number;
}

class DrainGatewayConn {
  private sock: Socket | undefined;
  private buf: Buffer = Buffer.alloc(0);
  private pid = 10;
  private next = 0;
  private readonly out = new Map<number, Outstanding>();
  private readonly topic: string;
  answered = 0;
  up = false;
  private onUp: ((ok: boolean) => void) | undefined;

  constructor(
    readonly g: DrainGateway,
    private readonly host: string,
    readonly batches: Buffer[],
    private readonly seqs: number[],
    private readonly stats: DrainStats,
    private readonly window: number,
    private readonly onFinished: () => void,
  ) {
    this.topic = topics.up(g.id, 'batch');
  }

  get finished(): boolean {
    return this.answered >= this.batches.length;
  }

  open(): Promise<boolean> {
    return new Promise((resolve) => {
      this.onUp = resolve;
      const sock = connect({ host: this.host, port: this.g.port });
      this.sock = sock;
      sock.setNoDelay(true);
      sock.on('connect', () => sock.write(connectPacket(this.g.id, this.g.secret)));
      sock.on('data', (d) => this.onData(d));
      sock.on('error', () => this.settle(false));
      sock.on('close', () => {
        if (this.up) this.stats.closed++;
        this.up = false;
        this.settle(false);
      });
    });
  }

  private settle(ok: boolean): void {
    const f = this.onUp;
    this.onUp = undefined;
    f?.(ok);
  }

  private nextPid(): number {
    this.pid = this.pid >= 65_000 ? 10 : this.pid + 1;
    return this.pid;
  }

  start(): void {
    while (this.out.size < this.window && this.next < this.batches.length) this.send(this.next++);
    if (this.finished) this.onFinished();
  }

  private send(i: number): void {
    const now = Date.now();
    if (!this.stats.firstSendMs || now < this.stats.firstSendMs) this.stats.firstSendMs = now;
    this.out.set(this.seqs[i]!, { seq: this.seqs[i]!, bytes: this.batches[i]!, sentMs: now });
    this.sock?.write(publish(this.topic, this.batches[i]!, 1, false, this.nextPid()));
    this.stats.sent++;
  }

  /** Resends the batches past their ack timeout (same key); returns how many. */
  resendLate(now: number, timeoutMs: number): void {
    if (!this.up) return;
    for (const o of this.out.values())
      if (now - o.sentMs >= timeoutMs) {
        o.sentMs = now;
        this.sock?.write(publish(this.topic, o.bytes, 1, false, this.nextPid()));
        this.stats.resent++;
      }
  }

  ping(): void {
    if (this.up) this.sock?.write(PINGREQ);
  }

  unanswered(): number {
    return this.batches.length - this.answered;
  }

  private onAck(payload: Buffer): void {
    const a = pb.BatchAck.decode(payload);
    const seq = Number(a.seq);
    if (!this.out.delete(seq)) return; // an answer to a resend of a batch answered already
    this.answered++;
    this.stats.lastAckMs = Math.max(this.stats.lastAckMs, Date.now());
    if (a.status === AckStatus.STORED) {
      this.stats.stored++;
      this.stats.ackedReadings += a.storedReadings;
      this.stats.quarantinedReadings += a.quarantinedReadings;
    } else if (a.status === AckStatus.DUPLICATE) this.stats.duplicates++;
    else this.stats.rejected++;
    if (this.next < this.batches.length) this.send(this.next++);
    else if (this.finished) this.onFinished();
  }

  private onData(d: Buffer): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : d;
    for (;;) {
      if (this.buf.length < 2) return;
      let len = 0,
        mul = 1,
        i = 1;
      for (; i < 5 && i < this.buf.length; i++) {
        len += (this.buf[i]! & 0x7f) * mul;
        mul *= 128;
        if ((this.buf[i]! & 0x80) === 0) break;
      }
      if (i >= this.buf.length) return;
      const end = i + 1 + len;
      if (this.buf.length < end) return;
      const first = this.buf[0]!,
        body = this.buf.subarray(i + 1, end);
      this.buf = this.buf.subarray(end);
      const type = first >> 4;
      if (type === 2) {
        // CONNACK
        if (body[1] !== 0) {
          this.sock?.destroy();
          this.settle(false);
          return;
        }
        this.up = true;
        this.sock!.write(
          publish(
            topics.state(this.g.id),
            pb.Presence.encode({ online: true, sinceMs: Date.now(), agentVersion: 'fleet-drain' }).finish(),
            1,
            true,
            1,
          ),
        );
        this.sock!.write(packet(0x82, Buffer.concat([u16(2), str(topics.downFilter(this.g.id)), Buffer.from([1])])));
      } else if (type === 9) {
        this.settle(true); // SUBACK: the gateway is set up as the agent would be
      } else if (type === 3) {
        const qos = (first >> 1) & 3;
        const tl = body.readUInt16BE(0);
        const topic = body.subarray(2, 2 + tl).toString();
        const payload = body.subarray(2 + tl + (qos ? 2 : 0));
        if (qos) this.sock!.write(packet(0x40, u16(body.readUInt16BE(2 + tl))));
        if (topic === topics.down(this.g.id, 'ack')) this.onAck(Buffer.from(payload));
      }
    }
  }

  close(): void {
    this.sock?.destroy();
  }
}

export interface Drain {
  connected: Promise<{ connected: number; refused: number }>;
  go(): Promise<DrainStats>;
  stats: DrainStats;
  close(): void;
}

/** Connects the gateways (at a bounded rate); `go()` drains every backlog and resolves with the figures. */
export function startDrain(o: DrainOptions): Drain {
  const host = o.host ?? '127.0.0.1';
  const mine = new Set(o.gateways.map((g) => g.index));
  const file = readBatchFile(o.file, mine);
  const stats: DrainStats = {
    gateways: o.gateways.length,
    batches: 0,
    sent: 0,
    resent: 0,
    stored: 0,
    duplicates: 0,
    rejected: 0,
    ackedReadings: 0,
    quarantinedReadings: 0,
    unanswered: 0,
    closed: 0,
    firstSendMs: 0,
    lastAckMs: 0,
  };
  let unfinished = 0;
  let finish: () => void = () => {};
  const allDone = new Promise<void>((r) => {
    finish = r;
  });
  const conns = o.gateways.map((g) => {
    const batches = file.get(g.index) ?? [];
    stats.batches += batches.length;
    const seqs = batches.map((b) => Number(pb.Batch.decode(b).seq));
    return new DrainGatewayConn(g, host, batches, seqs, stats, o.window, () => {
      if (--unfinished === 0) finish();
    });
  });
  unfinished = conns.length;
  const pinger = setInterval(() => {
    for (const c of conns) c.ping();
  }, 20_000);
  let resender: NodeJS.Timeout | undefined;
  const connected = (async () => {
    const gapMs = 1000 / (o.connectPerS ?? 2000);
    const t0 = Date.now();
    const pending: Promise<boolean>[] = [];
    for (let i = 0; i < conns.length; i++) {
      const due = t0 + i * gapMs - Date.now();
      if (due > 1) await new Promise((r) => setTimeout(r, due));
      pending.push(conns[i]!.open());
    }
    const ok = await Promise.all(pending);
    const n = ok.filter(Boolean).length;
    return { connected: n, refused: ok.length - n };
  })();
  return {
    connected,
    stats,
    async go() {
      if (conns.length === 0) return stats;
      const timeoutMs = o.ackTimeoutMs ?? 15_000;
      resender = setInterval(() => {
        const now = Date.now();
        for (const c of conns) c.resendLate(now, timeoutMs);
      }, 1000);
      for (const c of conns) c.start();
      let deadline: NodeJS.Timeout | undefined;
      await Promise.race([allDone, new Promise<void>((r) => (deadline = setTimeout(r, o.deadlineMs ?? 600_000)))]);
      clearTimeout(deadline);
      clearInterval(resender);
      stats.unanswered = conns.reduce((n, c) => n + c.unanswered(), 0);
      return stats;
    },
    close() {
      clearInterval(pinger);
      clearInterval(resender);
      for (const c of conns) c.close();
    },
  };
}

// forked as a process (the cluster bench): driven over IPC
if (process.argv[1] === fileURLToPath(import.meta.url) && process.send) {
  let drain: Drain | undefined;
  process.on('message', (m: { start?: DrainOptions; go?: boolean; stop?: boolean }) => {
    if (m.start) {
      drain = startDrain(m.start);
      void drain.connected.then((c) => process.send!(c));
    }
    if (m.go) void drain?.go().then((s) => process.send!({ done: s }));
    if (m.stop) {
      drain?.close();
      process.send!({ stopped: true }, () => process.exit(0));
    }
  });
  process.on('disconnect', () => process.exit(0));
}
