/**
 * HJ 212 end to end on loopback: an instrument client sends real-time, minute and hourly uploads
 * over TCP to the edge agent (HJ 212 server enabled); the readings reach the cloud with their
 * flags, every reply arrives only after the edge store committed, a bad-CRC frame is rejected and
 * the connection survives, split and coalesced frames parse.
 */
import t from 'tap';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { edgeConfig, startCloud, startEdge, tempDir } from '../../../helpers/fleet.js';
import { until } from '../../../helpers/wait.js';
import type { Hj212Server } from '../../../../edge/southbound/hj212/server.js';
import { SimInstrument, nextQn, uploadFrame } from '../../../../scripts/sim/hj212-instrument.js';

const MN = '33010000000001';
const PW = '654321';

t.test('instrument → edge → cloud with flags', async (t) => {
  const cloud = await startCloud();
  const secret = await cloud.cloud.createGateway('gw-hj212');
  const dir = tempDir('yw-hj212-');
  const instruments = join(dir, 'instruments.toml');
  writeFileSync(
    instruments,
    `[[instrument]]\nmn = "${MN}"\npw = "${PW}"\nid = "ww-outlet"\n[instrument.hj212]\nfactors = { w01018 = "cod", w21003 = "ammonia_nitrogen", w01001 = "ph", w00000 = "flow" }\n`,
  );
  const edge = await startEdge(
    edgeConfig(dir, 'gw-hj212', secret, cloud.mqttUrl, {
      hj212: { enabled: true, host: '127.0.0.1', port: 0, devices_file: instruments, require_registered: true },
      lwm2m: { enabled: false },
      cameras: { enabled: false },
    }),
  );
  t.teardown(async () => {
    await edge.agent.stop();
    await cloud.cloud.stop();
  });
  const hj = edge.agent.adapters.find((a) => a.name === 'hj212') as Hj212Server;
  const inst = await SimInstrument.connect('127.0.0.1', hj.port);
  t.teardown(() => inst.close());

  const factors = {
    w01018: { Rtd: '30.25', Flag: 'N' },
    w21003: { Rtd: '2.5', Flag: 'T' },
    w01001: { Rtd: '7.1', Flag: 'C' },
    w00000: { Rtd: '12.75', Flag: 'N' },
  };
  const stats = {
    w01018: { Avg: '28.5', Min: '20.1', Max: '35.2', Cou: '3.4', Flag: 'N' },
    w21003: { Avg: '1.9', Min: '1.2', Max: '2.6', Cou: '0.2', Flag: 'D' },
  };
  const frames = [
    {
      qn: nextQn(),
      frame: (qn: string) => uploadFrame({ cn: '2011', mn: MN, pw: PW, qn, dataTime: '20250301120000', factors }),
    },
    {
      qn: nextQn(),
      frame: (qn: string) =>
        uploadFrame({ cn: '2051', mn: MN, pw: PW, qn, dataTime: '20250301120000', factors: stats }),
    },
    {
      qn: nextQn(),
      frame: (qn: string) =>
        uploadFrame({ cn: '2061', mn: MN, pw: PW, qn, dataTime: '20250301110000', factors: stats }),
    },
  ];
  const bytes = frames.map((f) => f.frame(f.qn));
  const bad = Buffer.from(bytes[0]!);
  bad[bad.length - 3]! ^= 0x01; // CRC digit → another hex digit or not hex at all
  // bad frame, then frame 1 split in two segments, then frames 2 and 3 coalesced in one segment
  await inst.write(bad);
  await until('bad frame rejected', () => hj.counters.rejected === 1);
  await inst.write(bytes[0]!.subarray(0, 20));
  await inst.write(bytes[0]!.subarray(20));
  await inst.write(Buffer.concat([bytes[1]!, bytes[2]!]));
  for (const f of frames) {
    const r = await inst.reply(f.qn);
    t.equal(r.cn, '9014', `reply to ${f.qn}`);
  }
  t.notOk(inst.closed, 'connection survived the bad frame');
  // A reply means committed: the edge store holds the readings before the cloud even got them.
  const stored = edge.agent.store.stats();
  t.ok(
    (stored.counters.readings_accepted ?? 0) >= 8 + 10 + 10,
    `edge store committed every reading before the replies (${stored.counters.readings_accepted})`,
  );

  const want = 8 + 10 + 10; // 4 values + 4 flags; 2 × (4 stats + 1 flag), twice
  await until('readings in the cloud', async () => (await cloud.cloud.store.stats()).readings >= want, 30_000, 50);
  const rows = await cloud.cloud.store.readings({ deviceId: 'ww-outlet', limit: 1000 });
  t.equal(rows.length, want, 'count');
  const byMetric = Object.fromEntries(rows.map((r) => [r.metric, r.value]));
  t.same(
    {
      cod: byMetric.cod,
      cod_flag: byMetric.cod_flag,
      ammonia_nitrogen_flag: byMetric.ammonia_nitrogen_flag,
      ph: byMetric.ph,
      ph_flag: byMetric.ph_flag,
      flow: byMetric.flow,
    },
    { cod: 30.25, cod_flag: 'N', ammonia_nitrogen_flag: 'T', ph: 7.1, ph_flag: 'C', flow: 12.75 },
    'real-time values and flags',
  );
  t.same(
    [
      byMetric.cod_minute_avg,
      byMetric.cod_minute_max,
      byMetric.ammonia_nitrogen_minute_flag,
      byMetric.cod_hour_cou,
      byMetric.ammonia_nitrogen_hour_min,
      byMetric.ammonia_nitrogen_hour_flag,
    ],
    [28.5, 35.2, 'D', 3.4, 1.2, 'D'],
    'minute and hourly statistics and flags',
  );
  const hourTs = rows.find((r) => r.metric === 'cod_hour_avg')!.ts;
  t.equal(hourTs, Date.UTC(2025, 2, 1, 3, 0, 0), 'DataTime in China Standard Time');
  const st = edge.agent.status().hj212;
  t.match(
    st,
    { port: hj.port, open: 1, evicted: 0, refused: 0, refusedPerSource: 0, firstFrameTimeouts: 0 },
    'the status carries the HJ 212 figures and limit counters',
  );
});
