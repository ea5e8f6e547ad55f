/**
 * The technician's DTLS key commands against one real agent process (issue 21): `devices add
 * --psk-identity --psk-key-file` (file and stdin) and `--psk-key`, `devices import-keys` with good
 * and bad rows (line numbers, exit 1, good rows in at once without restart), `devices show` naming
 * the identity and never the key, `devices remove` dropping the key, and the key never in the
 * store file, the agent's log or any output.
 */
import t from 'tap';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../helpers/fleet.js';
import { BIN, cli, startAgent, writeConfig, type AgentProcess, type CliResult } from './harness.js';

const dir = tempDir('yw-cli-psk-');
const config = writeConfig(dir);
let agent: AgentProcess;
const run = (...args: string[]): Promise<CliResult> => cli(['--config', config, ...args]);

const K1 = '5e1ec7ed5e1ec7ed5e1ec7ed5e1ec7ed';
const K2 = 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00';
const K3 = 'feedfacefeedfacefeedfacefeedface';
const K4 = 'abad1deaabad1deaabad1deaabad1dea';
const K5 = '0badc0de0badc0de0badc0de0badc0de';
const B1 = 'b007b007b007b007b007b007b007b007';
const B2 = 'b00710adb00710adb00710adb00710ad';
const KEYS = [K1, K2, K3, K4, K5, B1, B2];

/** The CLI with `input` on its stdin. */
function runWithStdin(input: string, ...args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [BIN, '--config', config, ...args], { env: { ...process.env, NO_COLOR: '1' } });
    let out = '';
    let err = '';
    p.stdout.on('data', (b: Buffer) => (out += b));
    p.stderr.on('data', (b: Buffer) => (err += b));
    p.on('close', (code) => resolve({ code: code ?? 1, out, err }));
    p.stdin.end(input);
  });
}

const noKeyIn = (t: { notOk: (v: unknown, m: string) => unknown }, text: string, what: string): void => {
  for (const k of KEYS) t.notOk(text.toLowerCase().includes(k), `${what}: no key ${k.slice(0, 8)}…`);
};

t.before(async () => {
  agent = await startAgent(dir, config);
});
t.teardown(() => agent.stop());

t.test('devices add with a DTLS key (file, stdin, argument); show names the identity, never the key', async (t) => {
  const keyFile = join(dir, 'nb-1.key');
  writeFileSync(keyFile, `${K1}\n`);
  const a1 = await run(
    'devices',
    'add',
    'nb-1',
    '--kind',
    'coap',
    '--psk-identity',
    'nb-1@site',
    '--psk-key-file',
    keyFile,
  );
  t.equal(a1.code, 0, a1.err);
  t.match(a1.out, /pre-registered nb-1 .*DTLS identity "nb-1@site"/);

  const a2 = await runWithStdin(
    `${K2}\n`,
    'devices',
    'add',
    'nb-2',
    '--psk-identity',
    'nb-2@site',
    '--psk-key-file',
    '-',
  );
  t.equal(a2.code, 0, a2.err);

  const a3 = await run('--json', 'devices', 'add', 'nb-3', '--psk-identity', 'nb-3@site', '--psk-key', K3);
  t.equal(a3.code, 0, a3.err);
  t.match(JSON.parse(a3.out), { id: 'nb-3', pskIdentity: 'nb-3@site' });

  const dup = await run('devices', 'add', 'nb-x', '--psk-identity', 'nb-1@site', '--psk-key', K4);
  t.equal(dup.code, 1);
  t.match(dup.err, /EDGE_ERR_PSK_IDENTITY_TAKEN.*nb-1/);
  const bad = await run('devices', 'add', 'nb-y', '--psk-identity', 'nb-y', '--psk-key', 'abcd');
  t.equal(bad.code, 1);
  t.match(bad.err, /EDGE_ERR_PSK_KEY/);
  const both = await run(
    'devices',
    'add',
    'nb-z',
    '--psk-identity',
    'nb-z',
    '--psk-key',
    K4,
    '--psk-key-file',
    keyFile,
  );
  t.match(both.err, /EDGE_ERR_BAD_REQUEST: give the PSK key once/);

  const show = await run('devices', 'show', 'nb-1');
  t.equal(show.code, 0, show.err);
  t.match(show.out, /dtls key\s+identity "nb-1@site", key set \(never shown\)/);
  const showJson = await run('--json', 'devices', 'show', 'nb-2');
  t.match(JSON.parse(showJson.out), { id: 'nb-2', pskIdentity: 'nb-2@site' });
  const list = await run('--json', 'devices', 'list');
  for (const [text, what] of [
    [a1.out + a2.out + a3.out + dup.err + bad.err, 'add output'],
    [show.out + showJson.out, 'show output'],
    [list.out, 'list output'],
  ] as const)
    noKeyIn(t, text, what);
  const plain = await run('devices', 'add', 'meter-1', '--kind', 'meter');
  t.equal(plain.code, 0, plain.err);
  t.match((await run('devices', 'show', 'meter-1')).out, /dtls key\s+none/);
});

t.test('import-keys: good rows in at once, bad rows by line number, exit 1', async (t) => {
  const csv = join(dir, 'keys.csv');
  writeFileSync(
    csv,
    [
      'device_id,psk_identity,psk_key',
      `nb-4,nb-4@site,${K4}`,
      'nb-5,nb-5@site,123', // bad key
      `nb-6,nb-1@site,${K5}`, // identity of nb-1
      'nb-7,two-fields',
      `nb-1,nb-1@site,${K5}`, // re-key nb-1
      '',
    ].join('\n'),
  );
  const r = await run('devices', 'import-keys', csv);
  t.equal(r.code, 1, 'exit 1: rows were refused');
  t.match(r.out, /imported 2 DTLS keys \(1 devices added, 1 re-keyed\)/);
  t.match(r.out, /3 rows refused/);
  t.match(r.out, /\n3\s+EDGE_ERR_PSK_KEY/);
  t.match(r.out, /\n4\s+EDGE_ERR_PSK_IDENTITY_TAKEN/);
  t.match(r.out, /\n5\s+EDGE_ERR_PSK_CSV/);
  noKeyIn(t, r.out + r.err, 'import output');
  // in the running agent at once: no restart
  t.match(JSON.parse((await run('--json', 'devices', 'show', 'nb-4')).out), { pskIdentity: 'nb-4@site' });
  for (const id of ['nb-5', 'nb-6', 'nb-7']) t.equal((await run('devices', 'show', id)).code, 1, `${id} not added`);

  const j = await run('--json', 'devices', 'import-keys', csv);
  const rep = JSON.parse(j.out) as {
    imported: number;
    created: number;
    replaced: number;
    rejected: { line: number }[];
  };
  t.same(
    rep.rejected.map((p) => p.line),
    [3, 4, 5],
    'the same file again: the same rows refused',
  );
  t.match(rep, { imported: 2, created: 0, replaced: 2 }, 'the good rows are re-keys now (idempotent)');
});

t.test('import-keys: a file without the header is refused whole', async (t) => {
  const csv = join(dir, 'noheader.csv');
  writeFileSync(csv, `nb-9,nb-9@site,${K4}\n`);
  const r = await run('devices', 'import-keys', csv);
  t.equal(r.code, 1);
  t.match(r.err, /EDGE_ERR_PSK_CSV: line 1 must be the header device_id,psk_identity,psk_key/);
  t.equal((await run('devices', 'show', 'nb-9')).code, 1);
});

t.test('LwM2M bootstrap keys: devices add --bootstrap-identity, import-keys with the bootstrap header', async (t) => {
  const keyFile = join(dir, 'bs-1.key');
  writeFileSync(keyFile, `${B1}\n`);
  const a = await run(
    'devices',
    'add',
    'lw-1',
    '--kind',
    'lwm2m',
    '--bootstrap-identity',
    'bs-lw-1',
    '--bootstrap-key-file',
    keyFile,
  );
  t.equal(a.code, 0, a.err);
  t.match(a.out, /pre-registered lw-1 .*bootstrap identity "bs-lw-1"/);
  const show = await run('devices', 'show', 'lw-1');
  t.match(show.out, /bootstrap key\s+identity "bs-lw-1", key set \(never shown\)/);
  t.match(show.out, /dtls key\s+none/, 'no device key yet: the bootstrap makes it');
  // an identity names one key of one device, across device and bootstrap keys
  const taken = await run('devices', 'add', 'lw-x', '--psk-identity', 'bs-lw-1', '--psk-key', K5);
  t.equal(taken.code, 1);
  t.match(taken.err, /EDGE_ERR_PSK_IDENTITY_TAKEN.*lw-1/);
  const csv = join(dir, 'bs.csv');
  writeFileSync(csv, `device_id,bootstrap_identity,bootstrap_key\nlw-2,bs-lw-2,${B2}\nlw-3,nb-1@site,${B2}\n`);
  const r = await run('devices', 'import-keys', '--kind', 'lwm2m', csv);
  t.equal(r.code, 1, 'a bad row: exit 1');
  t.match(r.out, /imported 1 LwM2M bootstrap key \(1 devices added, 0 re-keyed\)/);
  t.match(r.out, /3\s+EDGE_ERR_PSK_IDENTITY_TAKEN/, "line 3: a device key's identity");
  const j = JSON.parse((await run('--json', 'devices', 'show', 'lw-2')).out);
  t.match(j, { id: 'lw-2', kind: 'lwm2m', bootstrapIdentity: 'bs-lw-2', pskIdentity: null });
  const rm = await run('devices', 'remove', 'lw-2');
  t.equal(rm.code, 0, rm.err);
  t.equal(
    (await run('devices', 'add', 'lw-4', '--bootstrap-identity', 'bs-lw-2', '--bootstrap-key', B2)).code,
    0,
    'remove freed the bootstrap identity',
  );
});

t.test('remove drops the key; the identity is free again; no key in the store or log', async (t) => {
  const rm = await run('devices', 'remove', 'nb-2');
  t.equal(rm.code, 0, rm.err);
  const re = await run('devices', 'add', 'nb-20', '--psk-identity', 'nb-2@site', '--psk-key', K2);
  t.equal(re.code, 0, 'the identity of the removed device can be given again');
  const raw = ['', '-wal']
    .map((s) => join(dir, `edge.db${s}`))
    .filter(existsSync)
    .map((f) => readFileSync(f).toString('latin1'))
    .join('');
  t.ok(raw.includes('nb-1@site'), 'the scan sees the key rows');
  noKeyIn(t, raw, 'edge.db');
  for (const k of KEYS) t.notOk(raw.includes(Buffer.from(k, 'hex').toString('latin1')), 'no raw key bytes');
  noKeyIn(t, readFileSync(join(dir, 'agent.log'), 'utf8'), 'agent log');
});
