/**
 * Simulated gateways for the `fleet` benchmark: one process holds thousands of raw MQTT 3.1.1
 * connections (a minimal packet writer over net sockets, no client library per connection).
 * Each gateway connects like the edge agent (client id = username = gateway id, its secret, clean
 * session, keepalive 30 s, the offline Presence as retained will), publishes its retained online
 * Presence, subscribes to its down tree, then sends a Health (QoS 0) every interval with a random
 * phase. Driven over IPC by bench/fleet.bench.ts:
 *   → { start: { port, gateways: [id, secret][], intervalMs, connectPerS, seed } }
 *   ← { connected: n } once all are connected (or failed), { stats: … } on { stats: true }
 */
import { connect, type Socket } from 'node:net';
import { pb } from '../proto/index.js';
import { topics } from '../proto/topics.js';

interface Start { port: number; gateways: [string, string][]; intervalMs: number; connectPerS: number; seed: number }

const stats = { connected: 0, refused: 0, errors: 0, closed: 0, healthSent: 0, bytesSent: 0, received: 0, retries: 0, errorCodes: {} as Record<string, number> };

// --- minimal MQTT 3.1.1 encoding (only what a gateway sends) ---
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
const str = (s: string | Buffer): Buffer => {
  const b = typeof s === 'string' ? Buffer.from(s) : s;
  const len = Buffer.alloc(2);
  len.writeUInt16BE(b.length);
  return Buffer.concat([len, b]);
};
const packet = (first: number, body: Buffer): Buffer => Buffer.concat([Buffer.from([first]), varint(body.length), body]);
const u16 = (n: number): Buffer => { const b = Buffer.alloc(2); b.writeUInt16BE(n); return b; };

function connectPacket(id: string, secret: string): Buffer {
  const will = Buffer.from(pb.Presence.encode({ online: false, agentVersion: 'fleet-sim' }).finish());
  // username, password, will retain, will QoS 1, will flag, clean session
  const flags = 0x80 | 0x40 | 0x20 | 0x08 | 0x04 | 0x02;
  const header = Buffer.concat([str('MQTT'), Buffer.from([4, flags]), u16(30)]);
  return packet(0x10, Buffer.concat([header, str(id), str(topics.state(id)), str(will), str(id), str(secret)]));
}
const publish = (topic: string, payload: Buffer, qos: 0 | 1, retain: boolean, pid = 1): Buffer =>
  packet(0x30 | (qos << 1) | (retain ? 1 : 0), Buffer.concat([str(topic), qos ? u16(pid) : Buffer.alloc(0), payload]));
const subscribe = (filter: string, pid: number): Buffer => packet(0x82, Buffer.concat([u16(pid), str(filter), Buffer.from([1])]));
const puback = (pid: number): Buffer => packet(0x40, u16(pid));

/** A small deterministic generator so every run simulates the same fleet. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 4294967296);
}

class SimGateway {
  private sock: Socket | undefined;
  private buf: Buffer = Buffer.alloc(0);
  private timer: NodeJS.Timeout | undefined;
  private readonly startedMs = Date.now();
  private batchesAcked = 0;
  up = false;
  refusedForGood = false;

  constructor(readonly id: string, private readonly secret: string, private readonly port: number, private readonly profile: { backlogged: boolean; unsynced: boolean; devices: number; cameras: number; camerasDown: number }) {}

  open(): Promise<boolean> {
    return new Promise((resolve) => {
      const sock = connect({ host: '127.0.0.1', port: this.port });
      this.sock = sock;
      sock.setNoDelay(true);
      let settled = false;
      const settle = (ok: boolean): void => { if (!settled) { settled = true; resolve(ok); } };
      sock.on('connect', () => sock.write(connectPacket(this.id, this.secret)));
      sock.on('data', (d) => this.onData(d, settle));
      sock.on('error', (err: NodeJS.ErrnoException) => { stats.errors++; stats.errorCodes[err.code ?? err.message] = (stats.errorCodes[err.code ?? err.message] ?? 0) + 1; settle(false); });
      sock.on('close', () => { if (this.up) stats.closed++; this.up = false; clearInterval(this.timer); settle(false); });
    });
  }

  /** Like the edge agent: a refused or dropped attempt is retried after a randomised pause (up to 20 times). */
  async openRetrying(): Promise<boolean> {
    for (let attempt = 0; attempt < 20; attempt++) {
      if (attempt > 0) {
        stats.retries++;
        await new Promise((r) => setTimeout(r, 1000 + Math.random() * 4000));
      }
      this.buf = Buffer.alloc(0);
      if (await this.open()) return true;
      if (this.refusedForGood) return false;
    }
    return false;
  }

  private onData(d: Buffer, settle: (ok: boolean) => void): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : d;
    for (;;) {
      if (this.buf.length < 2) return;
      let len = 0, mul = 1, i = 1;
      for (; i < 5 && i < this.buf.length; i++) {
        len += (this.buf[i] & 0x7f) * mul;
        mul *= 128;
        if ((this.buf[i] & 0x80) === 0) break;
      }
      if (i >= this.buf.length) return;
      const end = i + 1 + len;
      if (this.buf.length < end) return;
      const first = this.buf[0], body = this.buf.subarray(i + 1, end);
      this.buf = this.buf.subarray(end);
      stats.received++;
      const type = first >> 4;
      if (type === 2) { // CONNACK
        if (body[1] !== 0) { stats.refused++; this.refusedForGood = true; settle(false); this.sock?.destroy(); return; }
        this.up = true;
        stats.connected++;
        this.sock!.write(publish(topics.state(this.id), Buffer.from(pb.Presence.encode({ online: true, sinceMs: Date.now(), agentVersion: 'fleet-sim' }).finish()), 1, true, 1));
        this.sock!.write(subscribe(topics.downFilter(this.id), 2));
        settle(true);
      } else if (type === 3 && ((first >> 1) & 3) > 0) { // PUBLISH QoS 1 from the cloud
        const tl = body.readUInt16BE(0);
        this.sock!.write(puback(body.readUInt16BE(2 + tl)));
      }
    }
  }

  startHealth(intervalMs: number, phaseMs: number): void {
    setTimeout(() => {
      this.sendHealth();
      this.timer = setInterval(() => this.sendHealth(), intervalMs);
    }, phaseMs);
  }

  private sendHealth(): void {
    if (!this.up || !this.sock) return;
    const p = this.profile, now = Date.now();
    this.batchesAcked += 6;
    const rows = p.backlogged ? 20_000 + (this.batchesAcked % 1000) : this.batchesAcked % 50;
    const h = pb.Health.encode({
      gatewayId: this.id, tsMs: now, uptimeS: Math.floor((now - this.startedMs) / 1000) + 3600, rssBytes: 48_000_000,
      storeRows: rows, storeBytes: rows * 60, storeCapBytes: 512_000_000, oldestAgeMs: p.backlogged ? 3_600_000 : 4000,
      devicesOnline: p.devices - Math.floor(p.devices / 20), devicesTotal: p.devices, devicesByState: { online: p.devices - Math.floor(p.devices / 20), offline: Math.floor(p.devices / 20) },
      camerasTotal: p.cameras, camerasOnline: p.cameras - p.camerasDown, camerasByState: p.cameras ? { up: p.cameras - p.camerasDown, unreachable: p.camerasDown } : {},
      clockSynced: !p.unsynced, configVersion: 'v12', agentVersion: '0.1.0', readingsAccepted: this.batchesAcked * 40, batchesAcked: this.batchesAcked,
      diskFreeBytes: 20_000_000_000, diskTotalBytes: 32_000_000_000, link: { technology: 'lte', rsrpDbm: -95, rsrqDb: -11, sinrDb: 12, rssiDbm: -67 },
    }).finish();
    const pkt = publish(topics.up(this.id, 'health'), Buffer.from(h), 0, false);
    this.sock.write(pkt);
    stats.healthSent++;
    stats.bytesSent += pkt.length;
  }

  close(): void {
    clearInterval(this.timer);
    this.sock?.destroy();
  }
}

const sims: SimGateway[] = [];

async function start(s: Start): Promise<void> {
  const rand = rng(s.seed);
  for (const [id, secret] of s.gateways) {
    const cameras = rand() < 0.3 ? 1 + Math.floor(rand() * 8) : 0;
    sims.push(new SimGateway(id, secret, s.port, {
      backlogged: rand() < 0.03, unsynced: rand() < 0.01, devices: 400 + Math.floor(rand() * 200), cameras, camerasDown: cameras && rand() < 0.1 ? 1 : 0,
    }));
  }
  // connect at a bounded rate (a city's gateways do not all dial in the same millisecond)
  const gapMs = 1000 / s.connectPerS;
  const t0 = Date.now();
  const pending: Promise<boolean>[] = [];
  for (let i = 0; i < sims.length; i++) {
    const due = t0 + i * gapMs - Date.now();
    if (due > 1) await new Promise((r) => setTimeout(r, due));
    // Health starts as soon as a gateway is connected (it also keeps the 30 s keepalive satisfied)
    const g = sims[i], phase = Math.floor(rand() * s.intervalMs);
    pending.push(g.openRetrying().then((ok) => { if (ok) g.startHealth(s.intervalMs, phase); return ok; }));
  }
  await Promise.all(pending);
  process.send!({ connected: stats.connected, refused: stats.refused, errors: stats.errors, retries: stats.retries, errorCodes: stats.errorCodes });
}

process.on('message', (m: { start?: Start; stats?: boolean; stop?: boolean }) => {
  if (m.start) void start(m.start);
  if (m.stats) process.send!({ stats: { ...stats, up: sims.filter((g) => g.up).length } });
  if (m.stop) {
    for (const g of sims) g.close();
    process.send!({ stopped: true }, () => process.exit(0));
  }
});
process.on('disconnect', () => process.exit(0));
