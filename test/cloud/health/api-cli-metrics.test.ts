/**
 * The health API through the operator CLI as shipped (dist/cloud/cli/main.js, built by `npm test`'s
 * pretest; run `npm run build` first when running this file alone), one-line errors and exit
 * codes; /metrics on cloud and edge.
 */
import t from 'tap';
import { execFile } from 'node:child_process';
import { request } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../../../common/paths.js';
import { decodeBatch, encodeBatch } from '../../../proto/batch-codec.js';
import { edgeConfig, startCloud, startEdge, tempDir } from '../../helpers/fleet.js';
import { until } from '../../helpers/wait.js';

const exec = promisify(execFile);

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await exec(process.execPath, [join(REPO_ROOT, 'dist', 'cloud', 'cli', 'main.js'), ...args], {
      env: { ...process.env, YIWANG_LOG_LEVEL: 'silent' },
    });
    return { code: 0, ...r };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

t.test('CLI: summary, gateways, devices, alarms; coded one-line errors', async (t) => {
  const { cloud } = await startCloud(undefined, { health: { flush_ms: 50, sweep_ms: 100 } });
  t.teardown(() => cloud.stop());
  const url = `http://127.0.0.1:${cloud.api.port}`;
  await cloud.store.createGateway('gw-1', 'x');
  await cloud.store.createGateway('gw-2', 'x');
  await cloud.store.registerDevices(
    [{ id: 'wm-1', gatewayId: 'gw-1', type: 'water_meter', intervalS: 900, lastSeenMs: Date.now() }],
    Date.now(),
  );
  await cloud.store.ingestBatch(
    decodeBatch(
      encodeBatch(
        { gatewayId: 'gw-1', epoch: 1, seq: 1 },
        [],
        [{ id: 'e', deviceId: 'wm-1', type: 'leak', severity: 2, tsMs: Date.now(), message: 'leak', active: true }],
      ),
    ),
  );

  const tag = await cli(['gateways', 'tag', 'gw-1', '--district', 'jiefang', '--site', 'js-1', '--url', url]);
  t.equal(tag.code, 0, tag.stderr);
  t.match(tag.stdout, /district=jiefang site=js-1/);
  const sum = await cli(['--json', 'health', 'summary', '--url', url]);
  t.equal(sum.code, 0, sum.stderr);
  const api = (await (await fetch(`${url}/api/v1/health/summary`)).json()) as { gateways: unknown; devices: unknown };
  const got = JSON.parse(sum.stdout) as { gateways: unknown; devices: unknown; byDistrict: { key: string }[] };
  t.same([got.gateways, got.devices], [api.gateways, api.devices], "the CLI shows the API's figures");
  t.same(
    got.byDistrict.map((d) => d.key),
    ['', 'jiefang'],
  );
  const text = await cli(['health', 'summary', '--url', url]);
  t.match(text.stdout, /gateways\s+2 \(online 0, degraded 0, offline 2\)/);
  t.match(text.stdout, /devices\s+1 \(100\.0% online\)/);

  const list = await cli(['--json', 'gateways', 'list', '--district', 'jiefang', '--url', url]);
  t.same(
    (JSON.parse(list.stdout) as { items: { id: string }[] }).items.map((g) => g.id),
    ['gw-1'],
  );
  const show = await cli(['gateways', 'show', 'gw-1', '--url', url]);
  t.match(show.stdout, /status\s+offline/);
  t.match(show.stdout, /alarms open\s+1/);
  const devs = await cli(['devices', 'list', '--gateway', 'gw-1', '--url', url]);
  t.match(devs.stdout, /wm-1\s+gw-1\s+water_meter\s+online/);

  const alarms = await cli(['--json', 'alarms', 'list', '--url', url]);
  const [alarm] = (JSON.parse(alarms.stdout) as { alarms: { id: number }[] }).alarms;
  const ack = await cli(['alarms', 'ack', String(alarm!.id), '--by', 'ops', '--url', url]);
  t.equal(ack.code, 0, ack.stderr);
  t.match(ack.stdout, /acknowledged by ops/);
  t.match((await cli(['alarms', 'list', '--url', url])).stdout, /^0 open$/m);

  const missing = await cli(['alarms', 'ack', '999999', '--url', url]);
  t.equal(missing.code, 1);
  t.match(missing.stderr, /^error CLOUD_ERR_NOT_FOUND: no event 999999 \(.*\)\n$/, 'one line with the code');
  const bad = await cli(['gateways', 'list', '--status', 'sleepy', '--url', url]);
  t.equal(bad.code, 1);
  t.match(bad.stderr, /^error CLOUD_ERR_BAD_REQUEST: status must be one of online, degraded, offline/);
  const down = await cli(['health', 'summary', '--url', 'http://127.0.0.1:9']);
  t.equal(down.code, 1);
  t.match(
    down.stderr,
    /^error CLOUD_ERR_UNREACHABLE: cannot reach the cloud at http:\/\/127\.0\.0\.1:9 \(from --url\)/,
  );
});

t.test('/metrics on the cloud and on the edge', async (t) => {
  const { cloud } = await startCloud(undefined, {
    health: { flush_ms: 50, sweep_ms: 100 },
    provisioning: { claims_per_min_per_source: 0, claims_per_min: 1 },
  });
  t.teardown(() => cloud.stop());
  const secret = await cloud.createGateway('gw-m');
  // a refusal of the broker's gate (a CONNECT header announcing 1 MB) and one of the claim rate limit
  const raw = connect(cloud.broker.port, '127.0.0.1', () => raw.write(Buffer.from([0x10, 0x80, 0x80, 0x40])));
  raw.on('error', () => {});
  await until('oversized CONNECT refused', () => cloud.broker.counters.connectTooLarge === 1);
  raw.destroy();
  for (let i = 0; i < 2; i++)
    await cloud.provisioning.claim(Buffer.alloc(0), `prov-m${String(i).padStart(16, '0')}`, '192.0.2.9');
  t.equal(cloud.provisioning.counters.rateLimitedGlobal, 1);
  const edge = await startEdge(
    edgeConfig(tempDir('yw-edge-'), 'gw-m', secret, `mqtt://127.0.0.1:${cloud.broker.port}`, {
      sync: { health_interval_ms: 1000 },
    }),
  );
  t.teardown(() => edge.agent.stop());
  await until(
    'online',
    () => cloud.health.gateway('gw-m')?.status === 'online' && cloud.health.gateway('gw-m')?.health !== null,
  );
  await cloud.health.flush();
  const res = await fetch(`http://127.0.0.1:${cloud.api.port}/metrics`);
  t.match(res.headers.get('content-type'), /text\/plain/);
  const text = await res.text();
  t.match(text, /^yiwang_gateways\{status="online"\} 1$/m);
  t.match(text, /^yiwang_gateways\{status="offline"\} 0$/m);
  t.match(text, /^yiwang_health_messages_total [1-9]/m);
  t.match(text, /^yiwang_mqtt_clients_connected 1$/m);
  t.match(text, /^yiwang_cluster_leader 1$/m, 'the sole SQLite node leads');
  t.match(text, /^yiwang_mqtt_refused_total\{reason="connect_too_large"\} 1$/m, "the broker's refusals by reason");
  t.match(text, /^# TYPE yiwang_mqtt_refused_total counter$/m);
  t.match(text, /^yiwang_mqtt_unauthenticated_connections 0$/m);
  t.match(text, /^yiwang_claims_rate_limited_total\{scope="global"\} 1$/m, 'claim attempts over the rate limit');
  t.match(text, /^# TYPE yiwang_log_suppressed_total counter$/m);
  t.match(text, /^# TYPE yiwang_gateway_offline_duration_seconds histogram$/m);
  t.match(text, /^process_resident_memory_bytes \d+/m);

  const edgeText = await new Promise<string>((resolve, reject) => {
    request({ socketPath: edge.agent.api.socketPath, path: '/metrics' }, (r) => {
      let body = '';
      r.on('data', (c: Buffer) => {
        body += c.toString();
      });
      r.on('end', () => resolve(body));
    })
      .on('error', reject)
      .end();
  });
  t.match(edgeText, /^yiwang_edge_queue_messages 0$/m);
  t.match(edgeText, /^yiwang_edge_uplink_connected 1$/m);
  t.match(edgeText, /^# TYPE yiwang_edge_messages_dropped_total counter$/m);
});
