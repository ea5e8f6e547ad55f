/**
 * Issue 17 item 6: a cloud the CLI cannot reach is named as such — a coded "cannot reach the
 * cloud at URL (from SOURCE)" (CLOUD_ERR_UNREACHABLE, CLOUD_ERR_TLS) — and refused credentials as
 * auth problems naming where the token came from. Before, all of these were CLOUD_ERR_BAD_REQUEST
 * with a hint about a parameter.
 */
import t from 'tap';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../../../common/paths.js';
import { createServer as createHttp } from 'node:http';
import { createServer as createHttps } from 'node:https';
import { createServer as createTcp, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { loadFleetPki } from '../../../cloud/pki/fleet-ca.js';
import { startCloud, tempDir } from '../../helpers/fleet.js';
import { cloudCli, isolateCliEnv } from './run-cli.js';

isolateCliEnv();
const TOKEN = 'tok-errors-0123456789';
const listen = async (s: Server): Promise<number> => {
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', () => resolve()));
  return (s.address() as AddressInfo).port;
};

t.test('connection refused, DNS, timeout: CLOUD_ERR_UNREACHABLE naming the URL and its source', async (t) => {
  const closed = createTcp();
  const port = await listen(closed);
  await new Promise((r) => closed.close(r));
  const refused = await cloudCli(['--url', `http://127.0.0.1:${port}`, 'gateways', 'list']);
  t.equal(refused.code, 1);
  t.equal(refused.errCode, 'CLOUD_ERR_UNREACHABLE');
  t.match(refused.err, `cannot reach the cloud at http://127.0.0.1:${port} (from --url): connection refused`);
  t.match(refused.err, /yiwang-cloud serve/, 'the hint says what to check');
  const viaEnv = await cloudCli(['health', 'summary'], { YIWANG_CLOUD_URL: `http://127.0.0.1:${port}` });
  t.match(viaEnv.err, `(from YIWANG_CLOUD_URL): connection refused`, 'the source is named');

  const dns = await cloudCli(['--url', 'http://cloud.nonexistent.invalid:8080', 'gateways', 'list']);
  t.equal(dns.errCode, 'CLOUD_ERR_UNREACHABLE');
  t.match(dns.err, /the host name cloud\.nonexistent\.invalid does not resolve \(DNS E[A-Z_]+\)/);

  const held: Socket[] = [];
  const silent = createTcp((s) => {
    held.push(s);
    s.on('error', () => {});
  }); // accepts, never answers
  const silentPort = await listen(silent);
  t.teardown(() => {
    for (const s of held) s.destroy();
    silent.close();
  });
  const t0 = Date.now();
  const slow = await cloudCli(['--url', `http://127.0.0.1:${silentPort}`, '--timeout', '0.3', 'gateways', 'list']);
  t.equal(slow.errCode, 'CLOUD_ERR_UNREACHABLE');
  t.match(slow.err, 'no answer within 0.3 s (--timeout)');
  t.ok(Date.now() - t0 < 5000, 'gives up after --timeout');
});

t.test('TLS failures: CLOUD_ERR_TLS', async (t) => {
  const pki = await loadFleetPki(tempDir('yw-cli-pki-'), ['127.0.0.1']);
  const server = createHttps({ cert: pki.serverCertPem, key: pki.serverKeyPem }, (_req, res) => res.end('{}'));
  const port = await listen(server);
  t.teardown(() => server.close());
  const r = await cloudCli(['--url', `https://127.0.0.1:${port}`, 'gateways', 'list']);
  t.equal(r.code, 1);
  t.equal(r.errCode, 'CLOUD_ERR_TLS');
  t.match(
    r.err,
    new RegExp(
      `cannot reach the cloud at https://127\\.0\\.0\\.1:${port} \\(from --url\\): TLS failed: .+ \\((UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)\\)`,
    ),
  );
  t.match(r.err, /NODE_EXTRA_CA_CERTS/);
});

t.test('401 and 403 are auth problems naming where the token came from', async (t) => {
  const { cloud } = await startCloud(undefined, { http: { api_token: TOKEN } });
  t.teardown(() => cloud.stop());
  const url = `http://127.0.0.1:${cloud.api.port}`;
  const none = await cloudCli(['--url', url, 'gateways', 'list']);
  t.equal(none.errCode, 'CLOUD_ERR_UNAUTHORIZED');
  t.match(none.err, `the cloud at ${url} refused no token (HTTP 401`);
  t.match(none.err, /yiwang-cloud login/, 'the hint names the ways to give a token');
  const wrong = await cloudCli(['--url', url, 'gateways', 'list'], { YIWANG_CLOUD_TOKEN: 'tok-wrong-0123456789' });
  t.equal(wrong.errCode, 'CLOUD_ERR_UNAUTHORIZED');
  t.match(wrong.err, 'refused the token from YIWANG_CLOUD_TOKEN');

  const key = await cloudCli([
    '--url',
    url,
    '--token',
    TOKEN,
    '--json',
    'keys',
    'create',
    '--name',
    'wall',
    '--scope',
    'read',
  ]);
  t.equal(key.code, 0, key.err);
  const readKey = (JSON.parse(key.out) as { key: string }).key;
  const forbidden = await cloudCli(['--url', url, '--token', readKey, 'gateways', 'add', 'gw-x']);
  t.equal(forbidden.errCode, 'CLOUD_ERR_FORBIDDEN');
  t.match(forbidden.err, /refused the token from --token: a read-only key cannot POST/);
  t.match(forbidden.err, /needs gateway\.write.*whose role has the permission/s, 'names the permission and what to do');
});

t.test("an answer that is not the API's: CLOUD_ERR_BAD_RESPONSE", async (t) => {
  const proxy = createHttp((_req, res) => {
    res.writeHead(502, { 'content-type': 'text/html' });
    res.end('<html><body>Bad Gateway</body></html>');
  });
  const port = await listen(proxy);
  t.teardown(() => proxy.close());
  const r = await cloudCli(['--url', `http://127.0.0.1:${port}`, 'gateways', 'list']);
  t.equal(r.errCode, 'CLOUD_ERR_BAD_RESPONSE');
  t.match(
    r.err,
    /answered GET \/api\/v1\/health\/gateways\?.* with HTTP 502 text\/html that is not the Yiwang API's JSON/,
  );
});

t.test('as a program: one line on stderr, exit 1 (usage errors exit 2)', async (t) => {
  const closed = createTcp();
  const port = await listen(closed);
  await new Promise((r) => closed.close(r));
  // the built program (npm test builds first): main.js parses its argv only when it is the program
  const run = (args: string[]): Promise<{ code: number; err: string }> =>
    new Promise((resolve) =>
      execFile(
        process.execPath,
        [join(REPO_ROOT, 'dist', 'cloud', 'cli', 'main.js'), ...args],
        { cwd: REPO_ROOT, timeout: 60_000 },
        (e, _out, err) => resolve({ code: e ? Number((e as { code?: unknown }).code) : 0, err }),
      ),
    );
  const r = await run(['--url', `http://127.0.0.1:${port}`, 'gateways', 'list']);
  t.equal(r.code, 1);
  t.match(
    r.err,
    new RegExp(
      `^error CLOUD_ERR_UNREACHABLE: cannot reach the cloud at http://127\\.0\\.0\\.1:${port} \\(from --url\\): connection refused: nothing listens there \\(Check .*\\)\\n$`,
    ),
  );
  t.equal((await run(['gateways', 'frobnicate'])).code, 2, 'usage error');
});
