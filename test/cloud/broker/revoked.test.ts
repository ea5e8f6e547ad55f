/**
 * Issue 17 item 7: a revoked gateway looked like a plain credentials failure on the gateway and
 * like "offline" in the cloud. End to end: provision a gateway, revoke it with the CLI; the
 * broker refuses its connect as revoked (CONNACK 5, CLOUD_ERR_GATEWAY_REVOKED), the agent says
 * "revoked by the cloud — re-provision" (status, diag), and the cloud lists it as revoked.
 */
import t from 'tap';
import mqtt from 'mqtt';
import { claimIdentity } from '../../../edge/provisioning/claim-client.js';
import { render } from '../../../edge/cli/status.js';
import { agentChecks } from '../../../edge/api/technician-wiring.js';
import { edgeConfig, startCloud, startEdge, tempDir } from '../../helpers/fleet.js';
import { until } from '../../helpers/wait.js';
import { cloudCli, isolateCliEnv } from '../cli/run-cli.js';

isolateCliEnv();

/** The CONNACK return code a raw MQTT 3.1.1 connect gets (0 = accepted). */
function connack(url: string, id: string, secret: string): Promise<number> {
  return new Promise((resolve) => {
    const c = mqtt.connect(url, {
      clientId: id,
      username: id,
      password: secret,
      clean: true,
      protocolVersion: 4,
      reconnectPeriod: 0,
      connectTimeout: 5000,
    });
    c.once('connect', () => {
      c.end(true);
      resolve(0);
    });
    c.once('error', (err: Error & { code?: number }) => {
      c.end(true);
      resolve(err.code ?? -1);
    });
  });
}

t.test('provision → revoke → the gateway is refused as revoked and the cloud says revoked', async (t) => {
  const { cloud, mqttUrl, logs } = await startCloud(undefined, { health: { flush_ms: 50, sweep_ms: 100 } });
  t.teardown(() => cloud.stop());
  const url = `http://127.0.0.1:${cloud.api.port}`;
  const { token } = await cloud.provisioning.createClaim({ group: 'north', district: 'jiefang' });
  const id = await claimIdentity({ url: mqttUrl, token, timeoutMs: 5000 });
  const edge = await startEdge(edgeConfig(tempDir('yw-edge-rev-'), id.gatewayId, id.secret, mqttUrl));
  t.teardown(() => edge.agent.stop());
  await until('edge online', () => edge.agent.uplink.state === 'online', 10_000);
  await until('cloud sees it online', () => cloud.health.gateway(id.gatewayId)?.status === 'online', 10_000);

  const rv = await cloudCli(['--url', url, 'gateways', 'revoke', id.gatewayId]);
  t.equal(rv.code, 0, rv.err);

  // the gateway side: its session is closed, its reconnect refused with CONNACK 5 → a named state and error
  await until('the agent knows it is revoked', () => edge.agent.uplink.state === 'revoked', 10_000);
  const st = edge.agent.status();
  t.match(st.uplink, {
    state: 'revoked',
    lastError: { code: 'EDGE_ERR_GATEWAY_REVOKED', message: /^revoked by the cloud — re-provision/ },
  });
  t.ok(st.uplink.revokedRefusals >= 1, 'counted');
  t.match(
    render(st),
    /uplink\s+revoked .*error EDGE_ERR_GATEWAY_REVOKED: revoked by the cloud — re-provision/,
    '`yiwang-edge status` says so',
  );
  const auth = (await agentChecks(edge.agent)).find((c) => c.name === 'cloud-auth');
  t.match(
    auth,
    { ok: false, detail: /uplink is revoked: revoked by the cloud — re-provision/, hint: /provision again/ },
    '`yiwang-edge diag` says so',
  );
  t.match(edge.logs.lines.map((l) => JSON.stringify(l)).join('\n'), /EDGE_ERR_GATEWAY_REVOKED/, 'logged with its code');

  // the broker: the right secret of a revoked gateway gets CONNACK 5, a wrong one 4 (no hint that the id exists)
  const refusedBefore = cloud.broker.counters.revokedRefused;
  t.equal(await connack(mqttUrl, id.gatewayId, id.secret), 5, 'revoked: CONNACK 5 (not authorized)');
  t.equal(await connack(mqttUrl, id.gatewayId, 'not-the-secret'), 4, 'wrong secret: CONNACK 4 as before');
  t.equal(cloud.broker.counters.revokedRefused, refusedBefore + 1);
  t.match(logs.lines.map((l) => JSON.stringify(l)).join('\n'), /CLOUD_ERR_GATEWAY_REVOKED/);

  // the cloud side: status revoked in the API and the CLI, not "offline"
  const table = (await (await fetch(`${url}/api/v1/health/gateways?status=revoked`)).json()) as {
    items: { id: string; status: string }[];
  };
  t.same(
    table.items.map((g) => [g.id, g.status]),
    [[id.gatewayId, 'revoked']],
  );
  const offline = (await (await fetch(`${url}/api/v1/health/gateways?status=offline`)).json()) as { total: number };
  t.equal(offline.total, 0, 'not counted among the offline ones of the table');
  const show = (await (await fetch(`${url}/api/v1/health/gateways/${id.gatewayId}`)).json()) as {
    status: { status: string; revokedMs: number };
    gateway: { revokedMs: number };
  };
  t.equal(show.status.status, 'revoked');
  t.equal(show.status.revokedMs, show.gateway.revokedMs);
  const reg = (await (await fetch(`${url}/api/v1/gateways/${id.gatewayId}`)).json()) as { revokedMs: number | null };
  t.type(reg.revokedMs, 'number', 'the registry record carries revokedMs');
  const list = await cloudCli(['--url', url, 'gateways', 'list']);
  t.match(list.out, new RegExp(`^${id.gatewayId}\\s+revoked\\s`, 'm'), '`gateways list` says revoked');
  t.match(
    (await cloudCli(['--url', url, 'gateways', 'show', id.gatewayId])).out,
    /^status\s+revoked since/m,
    '`gateways show` says revoked',
  );

  // the event log: a gateway_revoked event, and no open gateway_offline alarm for it
  await cloud.health.flush();
  const events = await cloud.store.listEvents({ gatewayId: id.gatewayId, limit: 100 });
  t.ok(
    events.some((e) => e.type === 'gateway_revoked'),
    'a gateway_revoked event is stored',
  );
  t.notOk(
    events.some((e) => e.type === 'gateway_offline' && e.active),
    'its revocation raised no offline alarm',
  );
});
