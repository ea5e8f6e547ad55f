/**
 * `yiwang-edge profile simulate` as shipped, against a real agent process on loopback: the simulated
 * device's uplinks are stored or refused as the vectors say, and the readings arrive at the agent.
 */
import t from 'tap';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../helpers/fleet.js';
import { until } from '../../helpers/wait.js';
import { localApiGet } from '../../../edge/cli/local-api-client.js';
import { cli, startAgent, writeConfig, type AgentProcess } from '../cli/harness.js';
import { thProfile } from './th-profile.js';

const dir = tempDir('yw-prof-sim-');
const overlay = join(dir, 'profiles');
mkdirSync(join(overlay, 'acme'), { recursive: true });
const config = writeConfig(dir, { extra: `[profiles]\ndirs = ["${overlay}"]\nreload_ms = 100\n` });
let agent: AgentProcess;
const run = (...args: string[]): ReturnType<typeof cli> => cli(['--config', config, ...args]);

const th = (model: string, path: string, vectors: string): string =>
  thProfile({ model, coapPath: path, extra: vectors });

t.before(async () => {
  agent = await startAgent(dir, config);
});
t.teardown(() => agent.stop());

interface SimJson {
  ok: boolean;
  device: string;
  agentProfile: string | null;
  answers: { vector: string; code: string; answer: string; ok: boolean; problem?: string }[];
  lastReadings: { metric: string; value: unknown; unit: string }[];
  missing: string[];
}

t.test(
  'a library profile: good frames stored, bad frames refused with their named errors, readings at the agent',
  async (t) => {
    const r = await run(
      '--json',
      'profile',
      'simulate',
      'yiwang-ref/water-meter-cjt188',
      '--interval',
      '0',
      '--device',
      'wm-sim-1',
    );
    t.equal(r.code, 0, r.out + r.err);
    const out = JSON.parse(r.out) as SimJson;
    t.equal(out.ok, true);
    t.same(
      out.answers.map((a) => a.code),
      ['2.04', '2.04', '2.04', '2.04', '4.00', '4.00', '4.00', '4.00'],
      'four stored, four refused',
    );
    t.same(
      out.answers.filter((a) => !a.ok),
      [],
    );
    t.equal(out.agentProfile, 'yiwang-ref/water-meter-cjt188', 'the agent gave the device this profile');
    const last = new Map(out.lastReadings.map((x) => [x.metric, x.value]));
    t.equal(last.get('water_volume'), 1235.07, 'the last meter-data volume');
    t.equal(last.get('valve'), 'fault', 'the last valve state');
    // The agent itself (not the CLI's report) holds them.
    const detail = await localApiGet<{ lastReadings: { metric: string; value: unknown }[] }>(
      join(dir, 'agent.sock'),
      '/v1/devices/wm-sim-1',
    );
    t.same(detail.lastReadings.find((x) => x.metric === 'meter_address')?.value, '00000012345678');

    const human = await run(
      'profile',
      'simulate',
      'yiwang-ref/water-meter-cjt188',
      '--interval',
      '0',
      '--device',
      'wm-sim-2',
    );
    t.equal(human.code, 0, human.err);
    t.match(human.out, /ok +4\.00 +"bad sum" \(#5\) +\(EDGE_ERR_PAYLOAD: yw-water-188: PROFILE_ERR_CHECKSUM/);
    t.match(human.out, /^water_volume +1235\.07 +m3/m);
    t.match(
      human.out,
      /profile simulate: 8\/8 answers as expected, 5\/5 readings of the last good vector at the agent/,
    );
  },
);

t.test(
  'an integrator profile picked up by the agent is simulated; one it does not know, or a wrong vector, fails',
  async (t) => {
    const file = join(overlay, 'acme', 'th-7.toml');
    writeFileSync(
      file,
      th(
        'TH-7',
        'acme-th7',
        '[[vectors]]\nhex = "00D72D"\nreadings = { temperature = 21.5, humidity = 45 }\n[[vectors]]\nhex = "00D7"\nerror = "PROFILE_ERR_LENGTH"\n',
      ),
    );
    const socket = join(dir, 'agent.sock');
    await until(
      'the agent loads acme/th-7',
      async () => {
        const r = await run('profile', 'simulate', file, '--interval', '0', '--wait', '2000');
        return r.code === 0;
      },
      30_000,
      200,
    );
    const ok = JSON.parse((await run('--json', 'profile', 'simulate', file, '--device', 'th-sim')).out) as SimJson;
    t.equal(ok.ok, true);
    t.same(
      ok.lastReadings.map((x) => [x.metric, x.value, x.unit]),
      [
        ['humidity', 45, '%RH'],
        ['temperature', 21.5, 'Cel'],
      ],
    );
    t.ok(await localApiGet(socket, '/v1/devices/th-sim'), 'the device is known to the agent');

    // Not in a directory the agent reads: the agent refuses the path; said once, with where the file must go.
    const elsewhere = join(dir, 'elsewhere', 'acme');
    mkdirSync(elsewhere, { recursive: true });
    writeFileSync(
      join(elsewhere, 'th-8.toml'),
      th(
        'TH-8',
        'acme-th8',
        '[[vectors]]\nhex = "00D72D"\nreadings = { temperature = 21.5, humidity = 45 }\n[[vectors]]\nhex = "00D7"\nerror = "PROFILE_ERR_LENGTH"\n',
      ),
    );
    const unknown = await run(
      '--json',
      'profile',
      'simulate',
      join(elsewhere, 'th-8.toml'),
      '--wait',
      '1000',
      '--count',
      '3',
    );
    t.equal(unknown.code, 1);
    const u = JSON.parse(unknown.out) as SimJson & { error: { code: string; message: string } };
    t.equal(u.answers.length, 1, 'it stops at the first refusal (not 6 uplinks)');
    t.match(
      u.answers[0]!.problem,
      /expected the uplink to be stored, the agent answered 4\.04 EDGE_ERR_UNKNOWN_LAYOUT/,
    );
    t.equal(u.error.code, 'PROFILE_ERR_NOT_LOADED');
    t.equal(
      u.error.message,
      `the agent has not loaded acme/th-8 (it answered the first uplink ${u.answers[0]!.code} ${u.answers[0]!.answer}): copy ${join(elsewhere, 'th-8.toml')} to ${join(overlay, 'acme', 'th-8.toml')} (profiles.dirs of ${config}); the agent rescans them every 100 ms (profiles.reload_ms), no restart needed`,
    );
    const human = await run('profile', 'simulate', join(elsewhere, 'th-8.toml'), '--wait', '1000', '--count', '3');
    t.equal(human.code, 1);
    t.equal(human.out.split('\n').filter((l) => /FAIL|4\.04/.test(l)).length, 0, 'no line per uplink');
    t.equal(human.err.match(/PROFILE_ERR_NOT_LOADED/g)?.length, 1, 'one coded error');

    // A vector that expects an error the agent does not give.
    const wrong = join(overlay, 'acme', 'th-7.toml');
    writeFileSync(
      wrong,
      th(
        'TH-7',
        'acme-th7',
        '[[vectors]]\nhex = "00D72D"\nerror = "PROFILE_ERR_CHECKSUM"\n[[vectors]]\nhex = "00C82D"\nreadings = { temperature = 20, humidity = 45 }\n',
      ),
    );
    const w = await run('profile', 'simulate', wrong, '--device', 'th-sim-w');
    t.equal(w.code, 1);
    t.match(w.out, /FAIL 2\.04 +#1\n +expected PROFILE_ERR_CHECKSUM, the agent stored the uplink \(2\.04\)/);

    // In a directory the agent reads, but refused by it (its match rule overlaps TH-7's): the device gets
    // TH-7; said once, with where to look.
    const th9 = join(overlay, 'acme', 'th-9.toml');
    writeFileSync(
      th9,
      th('TH-9', 'acme-th7', '[[vectors]]\nhex = "00C82D"\nreadings = { temperature = 20, humidity = 45 }\n'),
    );
    t.teardown(() => rmSync(th9, { force: true }));
    const other = await run('profile', 'simulate', th9, '--device', 'th-sim-9');
    t.equal(other.code, 1);
    t.match(other.out, /ok +2\.04 +#1/, 'stored, by TH-7');
    t.match(
      other.out,
      `error PROFILE_ERR_NOT_LOADED: the agent has not loaded acme/th-9 (it gave device th-sim-9 profile acme/th-7): ${th9} is in ${overlay}, which the agent reads, yet it did not load it: \`yiwang-edge logs\` shows why`,
    );
  },
);

t.test("an LwM2M profile: a simulated LwM2M client registers and sends the vectors' values", async (t) => {
  const r = await run(
    '--json',
    'profile',
    'simulate',
    'oma/generic-ipso',
    // not 0: the agent's Observe of the profile's paths starts at registration, and an answer
    // carrying an earlier vector's value can be handled after a later Send (seen once in a full
    // suite under load); 200 ms lets the observe settle before the next value
    '--interval',
    '200',
    '--device',
    'urn:dev:ipso-sim-1',
  );
  t.equal(r.code, 0, r.out + r.err);
  const out = JSON.parse(r.out) as SimJson;
  t.same(
    out.answers.map((a) => [a.vector, a.code, a.ok]),
    [
      ['"observed values" (#1)', '2.04', true],
      ['"humidity sensor fault reads 120 %RH: rejected" (#2)', '2.04', true],
      ['"overheat" (#3)', '2.04', true],
    ],
  );
  t.equal(out.agentProfile, 'oma/generic-ipso', 'matched on the registered objects 3303 and 3304');
  const last = new Map(out.lastReadings.map((x) => [x.metric, x.value]));
  t.equal(last.get('temperature'), 61.5, "named by the profile's lwm2m paths");
  t.equal(last.get('humidity'), 40.2, 'the 120 %RH value was rejected by the valid range; the earlier one stays');
  t.equal(last.get('battery'), 88);
});

t.test('a profile simulate cannot address, and bad options, are named errors', async (t) => {
  const f = join(dir, 'nowhere', 'acme', 'x-1.toml');
  mkdirSync(join(dir, 'nowhere', 'acme'), { recursive: true });
  writeFileSync(
    f,
    '[profile]\nvendor = "Acme"\nmodel = "X-1"\n[match]\ndevice = "x-*"\n[layout]\nfields = [{ name = "a", type = "u8" }]\n[[vectors]]\nhex = "01"\nreadings = { a = 1 }\n',
  );
  const none = await run('profile', 'simulate', f);
  t.equal(none.code, 1);
  t.match(
    none.err,
    /^error PROFILE_ERR_SIMULATE: .*x-1\.toml: neither a match\.coap_path with hex vectors nor LwM2M match rules/,
  );
  const bad = await run('profile', 'simulate', 'yiwang-ref/water-meter-cjt188', '--coap', 'nowhere');
  t.equal(bad.code, 1);
  t.match(bad.err, /^error PROFILE_ERR_SIMULATE: --coap must be host:port/);
  const count = await run('profile', 'simulate', 'yiwang-ref/water-meter-cjt188', '--count', '0');
  t.match(count.err, /^error PROFILE_ERR_SIMULATE: --count must be an integer ≥ 1/);
});
