/**
 * Fleet simulator: one process holds many simulated gateways, each a raw MQTT 3.1.1 connection
 * (a minimal packet writer over net sockets, no client library per connection) behaving like the
 * edge agent: client id = username = gateway id, its secret, clean session, keepalive 30 s, the
 * offline Presence as retained will, its retained online Presence, a subscription to its down tree,
 * then a Health (QoS 0) every interval with a random phase. A share of the fleet (`mix`) behaves
 * like a real city: `offline` never connects, `backlogged` reports a store backlog that grows with
 * every Health, `alarming` sends a batch with an active alarm Event (QoS 1) every few Health periods.
 *   startFleet({ mqttUrl, gateways: [{ id, secret }], devicesPerGateway, healthIntervalMs, mix })
 *     → { connected (Promise, resolves once every online gateway connected or gave up), stats, close() }
 * Used by the demo (scripts/demo.ts), the dashboard test and the `fleet` bench, which forks this
 * file as processes (IPC: → { start: {...} } ← { connected } · → { stats: true } ← { stats } · → { stop: true }).
 * Its own test, against the real cloud: test/scripts/sim/fleet.test.ts.
 */
import { connect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { pb } from '../../proto/index.js';
import { topics } from '../../proto/topics.js';
import { encodeBatch } from '../../proto/batch-codec.js';

export interface FleetMix {
  offline?: number;
  backlogged?: number;
  alarming?: number;
  unsynced?: number;
}
export interface FleetOptions {
  mqttUrl: string;
  gateways: { id: string; secret: string }[];
  /** devices each gateway reports in its Health (default: 400–600, drawn per gateway) */
  devicesPerGateway?: number;
  healthIntervalMs?: number;
  /** shares of the fleet, 0–1 each (defaults: none offline, 3 % backlogged, no alarms, 1 % clock not synced) */
  mix?: FleetMix;
  /** gateways dialling in per second (default 2000) */
  connectPerS?: number;
  /** each gateway's first Health comes at a random point within this many ms after it connects (default: the interval) */
  maxPhaseMs?: number;
  /** Health periods between two alarm batches of an alarming gateway (default 3; the first Health is followed by one) */
  alarmEvery?: number;
  seed?: number;
}
export interface FleetStats {
  connected: number;
  refused: number;
  errors: number;
  closed: number;
  healthSent: number;
  alarmsSent: number;
  bytesSent: number;
  received: number;
  retries: number;
  offline: number;
  errorCodes: Record<string, number>;
}
/** What one simulated gateway is and last reported (`lastHealth` undefined until its first Health). */
export interface SimGatewayView {
  id: string;
  up: boolean;
  offline: boolean;
  backlogged: boolean;
  alarming: boolean;
  alarmsSent: number;
  lastHealth?: { storeRows: number; camerasTotal: number; camerasOnline: number } | undefined;
}
export interface Fleet {
  connected: Promise<FleetStats>;
  stats: FleetStats;
  up(): number;
  gateways(): SimGatewayView[];
  close(): void;
}

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
const packet = (first: number, body: Buffer): Buffer =>
  Buffer.concat([Buffer.from([first]), varint(body.length), body]);
const u16 = (n: number): Buffer => {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
};

function connectPacket(id: string, secret: string): Buffer {
  const will = Buffer.from(pb.Presence.encode({ online: false, agentVersion: 'fleet-sim' }).finish());
  // username, password, will retain, will QoS 1, will flag, clean session
  const flags = 0x80 | 0x40 | 0x20 | 0x08 | 0x04 | 0x02;
  const header = Buffer.concat([str('MQTT'), Buffer.from([4, flags]), u16(30)]);
  return packet(0x10, Buffer.concat([header, str(id), str(topics.state(id)), str(will), str(id), str(secret)]));
}
const publish = (topic: string, payload: Buffer, qos: 0 | 1, retain: boolean, pid = 1): Buffer =>
  packet(0x30 | (qos << 1) | (retain ? 1 : 0), Buffer.concat([str(topic), qos ? u16(pid) : Buffer.alloc(0), payload]));
const subscribe = (filter: string, pid: number): Buffer =>
  packet(0x82, Buffer.concat([u16(pid), str(filter), Buffer.from([1])]));
const puback = (pid: number): Buffer => packet(0x40, u16(pid));

/** A small deterministic generator so every run simulates the same fleet. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

interface Profile {
  backlogged: boolean;
  alarming: boolean;
  unsynced: boolean;
  devices: number;
  cameras: number;
  camerasDown: number;
}

class SimGateway {
  private sock: Socket | undefined;
  private buf: Buffer = Buffer.alloc(0);
  private timer: NodeJS.Timeout | undefined;
  private phaseTimer: NodeJS.Timeout | undefined;
  private readonly startedMs = Date.now();
  private batchesAcked = 0;
  private healthCount = 0;
  private seq = 0;
  private pid = 10;
  private closed = false;
  alarmsSent = 0;
  lastHealth: SimGatewayView['lastHealth'];
  up = false;
  refusedForGood = false;

  constructor(
    readonly id: string,
    private readonly secret: string,
    private readonly host: string,
    private readonly port: number,
    readonly profile: Profile,
    private readonly stats: FleetStats,
    private readonly alarmEvery: number,
  ) {}

  open(): Promise<boolean> {
    return new Promise((resolve) => {
      const sock = connect({ host: this.host, port: this.port });
      this.sock = sock;
      sock.setNoDelay(true);
      let settled = false;
      const settle = (ok: boolean): void => {
        if (!settled) {
          settled = true;
          resolve(ok);
        }
      };
      sock.on('connect', () => sock.write(connectPacket(this.id, this.secret)));
      sock.on('data', (d) => this.onData(d, settle));
      sock.on('error', (err: NodeJS.ErrnoException) => {
        this.stats.errors++;
        this.stats.errorCodes[err.code ?? err.message] = (this.stats.errorCodes[err.code ?? err.message] ?? 0) + 1;
        settle(false);
      });
      sock.on('close', () => {
        if (this.up) this.stats.closed++;
        this.up = false;
        clearInterval(this.timer);
        settle(false);
      });
    });
  }

  /** Like the edge agent: a refused or dropped attempt is retried after a randomised pause (up to 20 times). */
  async openRetrying(): Promise<boolean> {
    for (let attempt = 0; attempt < 20 && !this.closed; attempt++) {
      if (attempt > 0) {
        this.stats.retries++;
        await new Promise((r) => setTimeout(r, 1000 + Math.random() * 4000));
        if (this.closed) return false;
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
      this.stats.received++;
      const type = first >> 4;
      if (type === 2) {
        // CONNACK
        if (body[1] !== 0) {
          this.stats.refused++;
          this.refusedForGood = true;
          settle(false);
          this.sock?.destroy();
          return;
        }
        this.up = true;
        this.stats.connected++;
        this.sock!.write(
          publish(
            topics.state(this.id),
            Buffer.from(pb.Presence.encode({ online: true, sinceMs: Date.now(), agentVersion: 'fleet-sim' }).finish()),
            1,
            true,
            1,
          ),
        );
        this.sock!.write(subscribe(topics.downFilter(this.id), 2));
        settle(true);
      } else if (type === 3 && ((first >> 1) & 3) > 0) {
        // PUBLISH QoS 1 from the cloud
        const tl = body.readUInt16BE(0);
        this.sock!.write(puback(body.readUInt16BE(2 + tl)));
      }
    }
  }

  startHealth(intervalMs: number, phaseMs: number): void {
    this.phaseTimer = setTimeout(() => {
      this.sendHealth();
      this.timer = setInterval(() => this.sendHealth(), intervalMs);
    }, phaseMs);
  }

  private sendHealth(): void {
    if (!this.up || !this.sock) return;
    const p = this.profile,
      now = Date.now();
    this.batchesAcked += 6;
    this.healthCount++;
    // a backlogged gateway's store grows with every report (its uplink is too slow or down)
    const rows = p.backlogged ? 20_000 + this.healthCount * 1_500 : this.batchesAcked % 50;
    const down = Math.floor(p.devices / 20);
    const h = pb.Health.encode({
      gatewayId: this.id,
      tsMs: now,
      uptimeS: Math.floor((now - this.startedMs) / 1000) + 3600,
      rssBytes: 48_000_000,
      storeRows: rows,
      storeBytes: rows * 60,
      storeCapBytes: 512_000_000,
      oldestAgeMs: p.backlogged ? 3_600_000 + (now - this.startedMs) : 4000,
      devicesOnline: p.devices - down,
      devicesTotal: p.devices,
      devicesByState: { online: p.devices - down, offline: down },
      camerasTotal: p.cameras,
      camerasOnline: p.cameras - p.camerasDown,
      camerasByState: p.cameras ? { up: p.cameras - p.camerasDown, unreachable: p.camerasDown } : {},
      clockSynced: !p.unsynced,
      configVersion: 'v12',
      agentVersion: '0.1.0',
      readingsAccepted: this.batchesAcked * 40,
      batchesAcked: this.batchesAcked,
      diskFreeBytes: 20_000_000_000,
      diskTotalBytes: 32_000_000_000,
      link: { technology: 'lte', rsrpDbm: -95, rsrqDb: -11, sinrDb: 12, rssiDbm: -67 },
    }).finish();
    const pkt = publish(topics.up(this.id, 'health'), Buffer.from(h), 0, false);
    this.sock.write(pkt);
    this.stats.healthSent++;
    this.stats.bytesSent += pkt.length;
    this.lastHealth = { storeRows: rows, camerasTotal: p.cameras, camerasOnline: p.cameras - p.camerasDown };
    if (p.alarming && this.healthCount % this.alarmEvery === 1 % this.alarmEvery) this.sendAlarm(now);
  }

  /** An alarm the way the edge sends it: an Event in a batch (QoS 1), beside one reading of the device. */
  private sendAlarm(now: number): void {
    const deviceId = `${this.id}-meter-${this.seq % Math.max(1, this.profile.devices)}`;
    this.seq++;
    const batch = encodeBatch(
      { gatewayId: this.id, epoch: this.startedMs, seq: this.seq },
      [{ deviceId, metric: 'flow', unit: 'm3', ts: now, value: 1, clock: 0, priority: 1 }],
      [
        {
          id: `${this.id}-a${this.seq}`,
          deviceId,
          type: this.seq % 2 ? 'leak' : 'cover_open',
          severity: 2,
          tsMs: now,
          message: this.seq % 2 ? 'leak detected' : 'manhole cover open',
          active: true,
        },
      ],
    );
    this.pid = this.pid >= 65_000 ? 10 : this.pid + 1;
    const pkt = publish(topics.up(this.id, 'batch'), Buffer.from(batch), 1, false, this.pid);
    this.sock!.write(pkt);
    this.stats.alarmsSent++;
    this.alarmsSent++;
    this.stats.bytesSent += pkt.length;
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.phaseTimer);
    clearInterval(this.timer);
    this.sock?.destroy();
  }
}

/** Starts the fleet: gateways dial in at a bounded rate, each starts its Health once connected. */
export function startFleet(o: FleetOptions): Fleet {
  const url = new URL(o.mqttUrl);
  const host = url.hostname || '127.0.0.1',
    port = Number(url.port || 1883);
  const intervalMs = o.healthIntervalMs ?? 10_000,
    connectPerS = o.connectPerS ?? 2000;
  const mix = { offline: 0, backlogged: 0.03, alarming: 0, unsynced: 0.01, ...o.mix };
  const stats: FleetStats = {
    connected: 0,
    refused: 0,
    errors: 0,
    closed: 0,
    healthSent: 0,
    alarmsSent: 0,
    bytesSent: 0,
    received: 0,
    retries: 0,
    offline: 0,
    errorCodes: {},
  };
  const rand = rng(o.seed ?? 1);
  const sims: SimGateway[] = [];
  const offline: SimGatewayView[] = [];
  for (const { id, secret } of o.gateways) {
    const cameras = rand() < 0.3 ? 1 + Math.floor(rand() * 8) : 0;
    const profile: Profile = {
      backlogged: rand() < mix.backlogged,
      unsynced: rand() < mix.unsynced,
      devices: o.devicesPerGateway ?? 400 + Math.floor(rand() * 200),
      cameras,
      camerasDown: cameras && rand() < 0.1 ? 1 : 0,
      alarming: mix.alarming > 0 && rand() < mix.alarming,
    };
    if (mix.offline > 0 && rand() < mix.offline) {
      // never dials in: the cloud shows it offline
      stats.offline++;
      offline.push({
        id,
        up: false,
        offline: true,
        backlogged: profile.backlogged,
        alarming: profile.alarming,
        alarmsSent: 0,
      });
      continue;
    }
    sims.push(new SimGateway(id, secret, host, port, profile, stats, Math.max(1, o.alarmEvery ?? 3)));
  }
  let closed = false;
  const connected = (async (): Promise<FleetStats> => {
    // connect at a bounded rate (a city's gateways do not all dial in the same millisecond)
    const gapMs = 1000 / connectPerS;
    const t0 = Date.now();
    const pending: Promise<boolean>[] = [];
    for (let i = 0; i < sims.length && !closed; i++) {
      const due = t0 + i * gapMs - Date.now();
      if (due > 1) await new Promise((r) => setTimeout(r, due));
      // Health starts as soon as a gateway is connected (it also keeps the 30 s keepalive satisfied)
      const g = sims[i]!,
        phase = Math.floor(rand() * (o.maxPhaseMs ?? intervalMs));
      pending.push(
        g.openRetrying().then((ok) => {
          if (ok && !closed) g.startHealth(intervalMs, phase);
          return ok;
        }),
      );
    }
    await Promise.all(pending);
    return stats;
  })();
  return {
    connected,
    stats,
    up: () => sims.filter((g) => g.up).length,
    gateways: () => [
      ...offline,
      ...sims.map((g) => ({
        id: g.id,
        up: g.up,
        offline: false,
        backlogged: g.profile.backlogged,
        alarming: g.profile.alarming,
        alarmsSent: g.alarmsSent,
        lastHealth: g.lastHealth,
      })),
    ],
    close: () => {
      closed = true;
      for (const g of sims) g.close();
    },
  };
}

// forked as a process (the bench): driven over IPC
if (process.argv[1] === fileURLToPath(import.meta.url) && process.send) {
  let fleet: Fleet | undefined;
  process.on('message', (m: { start?: FleetOptions; stats?: boolean; stop?: boolean }) => {
    if (m.start) {
      fleet = startFleet(m.start);
      void fleet.connected.then((s) =>
        process.send!({
          connected: s.connected,
          refused: s.refused,
          errors: s.errors,
          retries: s.retries,
          errorCodes: s.errorCodes,
        }),
      );
    }
    if (m.stats) process.send!({ stats: { ...fleet?.stats, up: fleet?.up() ?? 0 } });
    if (m.stop) {
      fleet?.close();
      process.send!({ stopped: true }, () => process.exit(0));
    }
  });
  process.on('disconnect', () => process.exit(0));
}
