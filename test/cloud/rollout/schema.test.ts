/**
 * The cloud refuses a configuration layer the gateways would reject — at the API, before anything
 * is stored or sent — with CLOUD_ERR_CONFIG_SCHEMA naming each key path and reason; it checks with
 * the same schema as the edge (common/desired-config-schema.ts); a dry run checks and shows the
 * changes without storing.
 */
import t from 'tap';
import { EDGE_SCHEMA } from '../../../edge/config.js';
import { parseDesiredConfig } from '../../../edge/remote-config/schema.js';
import { DESIRED_SCHEMA } from '../../../common/desired-config-schema.js';
import { isYiwangError } from '../../../common/errors.js';
import { validateLayer } from '../../../cloud/rollout/validate.js';
import { startCloud } from '../../helpers/fleet.js';
import { until } from '../../helpers/wait.js';
import { closeAll, simFleet } from './sim-fleet.js';

interface ApiError {
  error: { code: string; message: string; issues?: { path: string; reason: string; detail: string }[] };
}

const BAD: [string, string, { path: string; reason: string }[]][] = [
  ['unknown section', '[syncc]\ndaily_bytes = 1\n', [{ path: 'syncc', reason: 'unknown-section' }]],
  ['unknown key', '[sync]\ndaily_bytez = 1\n', [{ path: 'sync.daily_bytez', reason: 'unknown-key' }]],
  ['wrong type', '[sync]\ndaily_bytes = "1000"\n', [{ path: 'sync.daily_bytes', reason: 'wrong-type' }]],
  ['out of range', '[sync]\nhealth_interval_ms = 10\n', [{ path: 'sync.health_interval_ms', reason: 'out-of-range' }]],
  ['min above max', '[thresholds.temp]\nmin = 5\nmax = 1\n', [{ path: 'thresholds.temp', reason: 'out-of-range' }]],
  ['a section that is no table', 'sync = 5\n', [{ path: 'sync', reason: 'wrong-type' }]],
  [
    'several at once',
    '[sync]\ndaily_bytes = -1\n[devices]\ndeny = [1]\nallow_list = []\n',
    [
      { path: 'sync.daily_bytes', reason: 'out-of-range' },
      { path: 'devices.deny', reason: 'wrong-type' },
      { path: 'devices.allow_list', reason: 'unknown-key' },
    ],
  ],
];

t.test(
  'the API refuses layers the gateways would reject, naming key path and reason; nothing is stored or sent',
  async (t) => {
    const { cloud, mqttUrl } = await startCloud(undefined, { rollout: { tick_ms: 50 } });
    t.teardown(() => cloud.stop());
    const sims = await simFleet(cloud, mqttUrl, { group: 'east', count: 1 });
    t.teardown(() => closeAll(sims));
    const url = `http://127.0.0.1:${cloud.api.port}`;
    const put = async (path: string, body: unknown): Promise<{ status: number; body: unknown }> => {
      const res = await fetch(`${url}${path}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: await res.json() };
    };
    t.equal(
      (await put('/api/v1/config/groups/east', { toml: '[sync]\ndaily_bytes = 1000\n' })).status,
      200,
      'a good layer is stored',
    );
    await until('the gateway runs revision 1', () => sims[0]!.applier.config?.sync.daily_bytes === 1000, 20_000);
    const version = sims[0]!.applier.running!.version;

    for (const scope of ['/api/v1/config/fleet', '/api/v1/config/groups/east', '/api/v1/config/gateways/east-00']) {
      for (const [name, toml, want] of BAD) {
        const r = await put(scope, { toml });
        t.equal(r.status, 400, `${scope} ${name}: 400`);
        const e = (r.body as ApiError).error;
        t.equal(e.code, 'CLOUD_ERR_CONFIG_SCHEMA', `${scope} ${name}: coded`);
        t.same(
          e.issues?.map((i) => ({ path: i.path, reason: i.reason })),
          want,
          `${scope} ${name}: issues name the key paths and reasons`,
        );
        for (const w of want) t.match(e.message, w.path, `${scope} ${name}: the message names ${w.path}`);
      }
    }
    t.equal((await cloud.controlPlane.getLayer('group', 'east'))?.revision, 1, 'no group revision was added');
    t.equal(await cloud.controlPlane.getLayer('fleet', ''), undefined, 'no fleet layer was stored');
    t.equal(await cloud.controlPlane.getLayer('gateway', 'east-00'), undefined, 'no gateway layer was stored');
    t.equal((await cloud.controlPlane.getIssued('east-00'))?.version, version, 'no new document was issued');
    const syntax = await put('/api/v1/config/groups/east', { toml: '[sync\n' });
    t.equal((syntax.body as ApiError).error.code, 'CLOUD_ERR_CONFIG_INVALID', 'TOML syntax keeps its own code');

    // a staged layer is checked too (the rollout would send it), and so is the merged document
    t.equal((await put('/api/v1/config/fleet', { toml: '[thresholds.temp]\nmax = 10\n' })).status, 200);
    const merged = await put('/api/v1/config/groups/east', { toml: '[thresholds.temp]\nmin = 20\n', activate: false });
    t.equal(merged.status, 400, 'a layer valid alone but not merged is refused');
    t.equal((merged.body as ApiError).error.code, 'CLOUD_ERR_CONFIG_SCHEMA');
    t.match(
      (merged.body as ApiError).error.message,
      /group layer east, merged into the document of gateway east-00: thresholds\.temp: min is above max \(20 > 10\)/,
    );
    t.equal((await cloud.controlPlane.getLayer('group', 'east'))?.revision, 1, 'still no new group revision');
    await closeAll(sims);
  },
);

t.test('dry run: checked like a store, changes shown, nothing stored or sent', async (t) => {
  const { cloud, mqttUrl } = await startCloud(undefined, { rollout: { tick_ms: 50 } });
  t.teardown(() => cloud.stop());
  const sims = await simFleet(cloud, mqttUrl, { group: 'west', count: 2 });
  t.teardown(() => closeAll(sims));
  await cloud.desired.setLayer('group', 'west', '[sync]\ndaily_bytes = 1000\n[devices]\ndeny = ["a"]\n');
  await until('both run revision 1', () => sims.every((s) => s.applier.config?.sync.daily_bytes === 1000), 20_000);
  const issued = (await cloud.controlPlane.getIssued('west-00'))!.version;
  const url = `http://127.0.0.1:${cloud.api.port}/api/v1/config/groups/west`;
  const res = await fetch(url, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ toml: '[sync]\ndaily_bytes = 2000\n[profiles]\nenabled = ["acme/x"]\n', dryRun: true }),
  });
  t.equal(res.status, 200);
  t.same(await res.json(), {
    dryRun: true,
    scope: 'group',
    key: 'west',
    revision: 2,
    baseRevision: 1,
    gateways: 2,
    changedGateways: 2,
    issuedNow: true,
    changes: [
      { path: 'devices.deny', op: 'remove', before: ['a'] },
      { path: 'profiles.enabled', op: 'add', after: ['acme/x'] },
      { path: 'sync.daily_bytes', op: 'change', before: 1000, after: 2000 },
    ],
  });
  t.equal((await cloud.controlPlane.getLayer('group', 'west'))?.revision, 1, 'nothing stored');
  t.equal((await cloud.controlPlane.getIssued('west-00'))?.version, issued, 'nothing issued');
  const bad = await fetch(url, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ toml: '[sync]\ndaily_bytez = 1\n', dryRun: true }),
  });
  t.equal(bad.status, 400);
  t.equal(((await bad.json()) as ApiError).error.code, 'CLOUD_ERR_CONFIG_SCHEMA', 'a dry run reports the same error');
  await closeAll(sims);
});

t.test('cloud and edge accept and refuse the same documents, naming the same keys', async (t) => {
  const docs = [
    ...BAD.map(([, toml]) => toml),
    '[sync]\nmax_bytes_per_s = 0\ndaily_bytes = 0\nhealth_interval_ms = 1000\n[sampling]\ndefault_interval_s = 1\n',
    '[profiles]\nenabled = ["a/b"]\n[devices]\nallow = ["x"]\ndeny = []\n[thresholds.t]\nmin = -1.5\nmax = 3\n[cameras]\nfps = 5\nname = "x"\non = true\n',
    '[cameras]\nlist = [1]\n',
    '[thresholds]\nt = 5\n',
    '[thresholds.t]\nmean = 1\n',
    '[sampling]\ndefault_interval_s = 0.5\n',
    '[profiles]\nenabled = [""]\n',
    '[sync]\ndaily_bytes = 99999999999999999999\n',
    '[sync]\ntoString = 1\n',
  ];
  for (const toml of docs) {
    let edge: string | undefined, cloud: string | undefined;
    try {
      parseDesiredConfig(toml);
    } catch (err) {
      edge = isYiwangError(err) ? err.message : String(err);
    }
    try {
      validateLayer(toml, 'layer');
    } catch (err) {
      cloud = isYiwangError(err) ? err.message : String(err);
    }
    t.equal(cloud === undefined, edge === undefined, `same verdict: ${JSON.stringify(toml)}`);
    if (edge && cloud)
      t.equal(cloud.replace(/^layer: (\d+ problems: )?/, ''), edge, `same keys and reasons: ${JSON.stringify(toml)}`);
  }
});

t.test("the desired sync keys have the ranges of the agent's own sync options", async (t) => {
  const sec = DESIRED_SCHEMA.sync!;
  t.equal(sec.shape, 'keys');
  if (sec.shape !== 'keys') return;
  for (const [k, rule] of Object.entries(sec.keys)) {
    const local = (EDGE_SCHEMA.sync as Record<string, { kind: string; min?: number }>)[k];
    t.ok(local, `sync.${k} is an agent option`);
    t.equal(rule.kind, local?.kind, `sync.${k} kind`);
    if (rule.kind === 'integer') t.equal(rule.min, local?.min, `sync.${k} minimum`);
  }
});
