/**
 * A full disk (ENOSPC) on a small tmpfs: uplinks get 5.03 with a coded error, nothing is
 * corrupted, the agent keeps serving, and it recovers when space returns; every reading it
 * acknowledged is delivered to the cloud exactly once afterwards.
 */
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { mkdirSync, openSync, writeSync, closeSync, rmSync, statfsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { edgeConfig, startCloud, startEdge, tempDir } from '../../helpers/fleet.js';
import { until } from '../../helpers/wait.js';
import { SimSensor } from '../../../scripts/sim/coap-sensors.js';

t.test('disk full: 5.03 and a coded error, no corruption, recovery, nothing acknowledged is lost', async (t) => {
  const mnt = join(tempDir('yw-enospc-'), 'mnt');
  mkdirSync(mnt);
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mnt]); // needs root, as CI has
  t.teardown(() => {
    try {
      execFileSync('umount', ['-l', mnt]);
    } catch {
      /* already gone */
    }
  });
  const cfg = edgeConfig(mnt, 'gw-full', 'unused', 'mqtt://127.0.0.1:9', { store: { max_bytes: 1 << 30 } });
  let { agent, logs } = await startEdge(cfg);
  // leave ~300 KB free
  const filler = join(mnt, 'filler');
  const fd = openSync(filler, 'w');
  const block = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) {
      const s = statfsSync(mnt);
      if (s.bavail * s.bsize < 300 * 1024) break;
      writeSync(fd, block);
    }
  } finally {
    closeSync(fd);
  }

  const sensor = new SimSensor('meter-full', { host: '127.0.0.1', port: agent.coap.port });
  t.teardown(() => sensor.close());
  const acked: number[] = [];
  let full = '';
  for (let j = 0; j < 20_000 && !full; j++) {
    const r = await sensor.sendSenml(
      Array.from({ length: 20 }, (_, k) => ({ n: `m${k}`, u: 'm3', v: j * 100 + k, t: 1_760_000_000 + j })),
    );
    if (r.code === '2.04') acked.push(j);
    else full = `${r.code} ${r.payload}`;
  }
  t.match(full, /^5\.03 EDGE_ERR_STORE/, 'a full disk answers 5.03 with the code');
  t.ok(
    logs.withCode('EDGE_ERR_STORE').some((l) => /disk full/.test(String(l.err))),
    'and logs EDGE_ERR_STORE (disk full)',
  );
  t.ok(acked.length >= 5, `${acked.length} uplinks were stored before the disk filled`);
  t.equal(agent.status().coap.port, agent.coap.port, 'the agent keeps serving its API');

  rmSync(filler);
  const r = await sensor.sendSenml([{ n: 'm0', u: 'm3', v: 1e9, t: 1_760_000_000 + 99_999 }]);
  t.equal(r.code, '2.04', 'it recovers when space returns');
  acked.push(99_999);
  await agent.stop();

  const db = new Database(cfg.store.path, { readonly: true });
  t.equal(db.pragma('integrity_check', { simple: true }), 'ok', 'no corruption');
  db.close();

  const cloud = await startCloud();
  t.teardown(() => cloud.cloud.stop());
  const secret = await cloud.cloud.createGateway('gw-full');
  ({ agent, logs } = await startEdge({
    ...cfg,
    gateway: { ...cfg.gateway, id: 'gw-full', secret },
    cloud: { ...cfg.cloud, url: cloud.mqttUrl },
  }));
  t.teardown(() => agent.stop());
  const want = (acked.length - 1) * 20 + 1;
  await until(
    'backlog delivered',
    async () => agent.status().store.rows === 0 && (await cloud.cloud.store.stats()).readings >= want,
    30_000,
  );
  t.equal((await cloud.cloud.store.stats()).readings, want, 'every acknowledged reading, exactly once');
});
