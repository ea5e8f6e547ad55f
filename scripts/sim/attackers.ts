/**
 * Hostile and faulty peers, for the hostile-peer suite (test/e2e/hostile-peers.test.ts) and the
 * `under-attack` benchmark. Each attack is a loop over real sockets that runs until stopped and
 * counts what it sent; none of them waits for an answer, as a flood does not.
 *  - CoAP garbage, unfinished Block1 uploads and LwM2M registration floods against an edge agent;
 *  - a rogue gateway (valid credentials) publishing decompression and expansion bombs, readings for
 *    other gateways' devices and microsecond timestamps to the cloud;
 *  - oversized MQTT CONNECTs before authentication, and slow HJ 212 connections that never finish a frame.
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect, type Socket } from 'node:net';
import { deflateRawSync } from 'node:zlib';
import { generate } from 'coap-packet';
import mqtt from 'mqtt';
import { pb } from '../../proto/index.js';
import { DICTIONARY_V1 } from '../../proto/dictionary.js';
import { encodeBatch } from '../../proto/batch-codec.js';
import { topics } from '../../proto/topics.js';

export interface Attack {
  readonly name: string;
  sent: number;
  errors: number;
  stop(): Promise<void>;
}
export interface Target {
  host: string;
  port: number;
}

/**
 * Calls `tick(a, n)` every `everyMs` until stopped, with `n` the sends due since the start at
 * `perS` a second (timers are late under load; the rate is kept by the clock, not by the ticks).
 */
function loop(
  name: string,
  everyMs: number,
  perS: number,
  tick: (a: Attack, n: number) => void,
  cleanup: () => void | Promise<void> = () => {},
): Attack {
  const a: Attack = {
    name,
    sent: 0,
    errors: 0,
    stop: async () => {
      clearInterval(timer);
      await cleanup();
    },
  };
  const t0 = Date.now();
  let due = 0;
  const timer = setInterval(() => {
    const n = Math.min(Math.floor(((Date.now() - t0) / 1000) * perS) - due, Math.max(1, perS)); // at most a second's worth at once
    if (n <= 0) return;
    due += n;
    try {
      tick(a, n);
    } catch {
      a.errors++;
    }
  }, everyMs);
  return a;
}

function udp(): UdpSocket {
  const s = createSocket('udp4');
  s.on('error', () => {});
  s.on('message', () => {}); // answers are read and dropped, as a spoofing flooder never sees them
  return s;
}

let rnd = 0x2545f491;
const next = (): number => {
  rnd ^= rnd << 13;
  rnd ^= rnd >>> 17;
  rnd ^= rnd << 5;
  return rnd >>> 0;
};
const randomBytes = (n: number): Buffer => {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = next() & 0xff;
  return b;
};

/** Random datagrams, half of them with a valid CoAP header (CON POST) and garbage after it. */
export function coapGarbage(t: Target, perS = 2000): Attack {
  const s = udp();
  return loop(
    'coap-garbage',
    5,
    perS,
    (a, n) => {
      for (let i = 0; i < n; i++) {
        const body = randomBytes(4 + (next() % 200));
        if (i % 2 === 0) {
          body[0] = 0x40 | (body[0]! & 0x0f & 0x08);
          body[1] = 0x02;
        } // CON POST, token length 0 or 8
        s.send(body, t.port, t.host);
        a.sent++;
      }
    },
    () => {
      s.close();
    },
  );
}

/** Block1 uploads that never finish: NON POSTs of block 0 (1 KiB, more=1), a new token and path each. */
export function block1Flood(t: Target, perS = 2000): Attack {
  const s = udp();
  let n = 0;
  const payload = randomBytes(1024);
  return loop(
    'block1-flood',
    5,
    perS,
    (a, k) => {
      for (let i = 0; i < k; i++, n++) {
        const token = Buffer.alloc(8);
        token.writeUInt32BE(n, 4);
        const msg = generate({
          confirmable: false,
          messageId: n & 0xffff,
          token,
          code: '0.02',
          payload,
          options: [
            { name: 'Uri-Path', value: Buffer.from('senml') },
            { name: 'Uri-Path', value: Buffer.from(`blk-${n}`) },
            { name: 'Content-Format', value: Buffer.from([110]) },
            { name: 'Block1', value: Buffer.from([0x0e]) }, // num 0, more, szx 6 (1024)
          ],
        });
        s.send(msg, t.port, t.host);
        a.sent++;
      }
    },
    () => {
      s.close();
    },
  );
}

/** LwM2M Registers of ever new endpoints from a handful of sockets (as NAT makes them look). */
export function registrationFlood(t: Target, perS = 2000, sockets = 4): Attack {
  const socks = Array.from({ length: sockets }, udp);
  let n = 0;
  const links = Buffer.from('</>;rt="oma.lwm2m";ct=110,</1/0>,</3/0>,</3303/0>,</3303/1>,</3304/0>');
  return loop(
    'registration-flood',
    5,
    perS,
    (a, k) => {
      for (let i = 0; i < k; i++, n++) {
        const msg = generate({
          confirmable: true,
          messageId: n & 0xffff,
          token: Buffer.from([n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, 0x5a]),
          code: '0.02',
          payload: links,
          options: [
            { name: 'Uri-Path', value: Buffer.from('rd') },
            { name: 'Content-Format', value: Buffer.from([40]) },
            { name: 'Uri-Query', value: Buffer.from(`ep=flood-${n}`) },
            { name: 'Uri-Query', value: Buffer.from('lt=86400') },
            { name: 'Uri-Query', value: Buffer.from('lwm2m=1.1') },
            { name: 'Uri-Query', value: Buffer.from('b=UQ') },
          ],
        });
        socks[n % sockets]!.send(msg, t.port, t.host);
        a.sent++;
      }
    },
    () => {
      for (const s of socks) s.close();
    },
  );
}

/** The expansion bomb of issue 16 (~600 bytes as encoded here): reading_count 2^32-1, one device, 40 timelines of count 1e8. */
export function expansionBomb(gatewayId: string, seq: number): Buffer {
  const body = pb.BatchBody.encode({
    devices: [
      {
        deviceId: 'bomb',
        timelines: Array.from({ length: 40 }, () => ({ startMs: 1_700_000_000_000, count: 100_000_000 })),
        metric: ['x'],
        ints: [1],
      },
    ],
  }).finish();
  return Buffer.from(
    pb.Batch.encode({
      gatewayId,
      epoch: 1,
      seq,
      codec: pb.BodyCodec.BODY_PLAIN,
      body,
      readingCount: 4_294_967_295,
    }).finish(),
  );
}

let deflatedZeros: { n: number; z: Buffer } | undefined;

/** About 1 KB deflated that claims `n` readings of one series, all zero (a compression bomb). */
export function deflateBomb(gatewayId: string, seq: number, n = 1_000_000): Buffer {
  if (deflatedZeros?.n !== n) {
    const body = pb.BatchBody.encode({
      devices: [
        {
          deviceId: 'deflate-bomb',
          timelines: [{ startMs: 1_700_000_000_000, count: n }],
          metric: ['x'],
          ints: new Array<number>(n).fill(0),
        },
      ],
    }).finish();
    deflatedZeros = { n, z: deflateRawSync(body, { level: 9, dictionary: DICTIONARY_V1 }) };
  }
  return Buffer.from(
    pb.Batch.encode({
      gatewayId,
      epoch: 1,
      seq,
      codec: pb.BodyCodec.BODY_DEFLATE_DICT1,
      body: deflatedZeros.z,
      readingCount: n,
    }).finish(),
  );
}

/**
 * A gateway with valid credentials gone bad: every tick it publishes an expansion bomb, a deflate
 * bomb, a batch with readings and a critical alarm for `victims` (other gateways' devices) and a
 * batch with microsecond timestamps, each under a new sequence number.
 */
export function rogueGateway(
  mqttUrl: string,
  gatewayId: string,
  secret: string,
  victims: string[],
  roundsPerS = 20,
): Attack {
  const client = mqtt.connect(mqttUrl, {
    clientId: gatewayId,
    username: gatewayId,
    password: secret,
    protocolVersion: 4,
    reconnectPeriod: 200,
    clean: true,
  });
  client.on('error', () => {});
  let seq = 1;
  const topic = topics.up(gatewayId, 'batch');
  const now = Date.now();
  return loop(
    'rogue-gateway',
    20,
    roundsPerS,
    (a, k) => {
      if (!client.connected) return;
      for (let r = 0; r < k; r++) {
        const payloads = [
          expansionBomb(gatewayId, seq++),
          deflateBomb(gatewayId, seq++),
          Buffer.from(
            encodeBatch(
              { gatewayId, epoch: 1, seq: seq++ },
              victims.map((d, i) => ({
                deviceId: d,
                metric: 'seq',
                unit: '',
                ts: now + i,
                value: -1,
                priority: 0,
                clock: 1,
              })),
              victims
                .slice(0, 1)
                .map((d) => ({ id: `rogue-${seq}`, deviceId: d, type: 'smoke', severity: 2, tsMs: now })),
            ),
          ),
          Buffer.from(
            encodeBatch({ gatewayId, epoch: 1, seq: seq++ }, [
              { deviceId: 'rogue-dev', metric: 't', unit: 'Cel', ts: now * 1000, value: 1, priority: 0, clock: 1 },
            ]),
          ),
        ];
        for (const p of payloads) {
          client.publish(topic, p, { qos: 1 }, (err) => {
            if (err) a.errors++;
          });
          a.sent++;
        }
      }
    },
    () => client.endAsync(true).then(() => {}),
  );
}

/** MQTT CONNECTs announcing 256 MB and trickling bytes after it, `conns` at a time, reopened when closed. */
export function oversizedConnects(t: Target, conns = 4): Attack {
  const open = new Set<Socket>();
  const header = Buffer.from([0x10, 0xff, 0xff, 0xff, 0x7f]); // CONNECT, remaining length 268,435,455
  const chunk = Buffer.alloc(64 * 1024, 0x41);
  return loop(
    'oversized-connect',
    10,
    100,
    (a) => {
      while (open.size < conns) {
        const s = connect(t.port, t.host);
        s.on('error', () => {});
        s.on('close', () => open.delete(s));
        s.write(header);
        open.add(s);
        a.sent++;
      }
      for (const s of open) if (s.writableLength < 1024 * 1024) s.write(chunk);
    },
    () => {
      for (const s of open) s.destroy();
    },
  );
}

/** TCP connections to an HJ 212 listener that send a few bytes of a frame and never finish it. */
export function slowHj212(t: Target, conns = 300): Attack {
  const open = new Set<Socket>();
  return loop(
    'slow-hj212',
    20,
    1000,
    (a, n) => {
      for (let i = 0; i < n && open.size < conns; i++) {
        const s = connect(t.port, t.host);
        s.on('error', () => {});
        s.on('close', () => open.delete(s));
        s.write('##0');
        open.add(s);
        a.sent++;
      }
    },
    () => {
      for (const s of open) s.destroy();
    },
  );
}
