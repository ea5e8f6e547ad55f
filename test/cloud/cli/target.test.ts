/**
 * Issue 17 item 6: one way for the CLI to find its cloud — global flags > YIWANG_CLOUD_URL/_TOKEN >
 * the `login` context > the --config file's http listen address and api_token. Before, `--config
 * FILE` was ignored (port 8080 was called) and --url existed per subcommand only.
 */
import t from 'tap';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { listenUrl, resolveTarget } from '../../../cloud/cli/target.js';
import { writeContexts } from '../../../cloud/cli/contexts-file.js';
import { startCloud, tempDir } from '../../helpers/fleet.js';
import { cloudCli, isolateCliEnv } from './run-cli.js';

const xdg = isolateCliEnv();
const TOKEN = 'tok-target-0123456789';

t.test('--config FILE: its http.host:http.port and http.api_token are used', async (t) => {
  const { cloud } = await startCloud(undefined, { http: { api_token: TOKEN } });
  t.teardown(() => cloud.stop());
  const dir = tempDir('yw-cli-cfg-');
  const file = join(dir, 'cloud.toml');
  writeFileSync(file, `[http]\nhost = "0.0.0.0"\nport = ${cloud.api.port}\napi_token = "${TOKEN}"\n`);
  const r = await cloudCli(['--config', file, '--json', 'health', 'summary']);
  t.equal(r.code, 0, r.err);
  t.match(JSON.parse(r.out), { gateways: { total: 0 } }, 'the summary of the cloud the file describes');
  const viaEnv = await cloudCli(['--json', 'gateways', 'list'], { YIWANG_CLOUD_CONFIG: file });
  t.equal(viaEnv.code, 0, `YIWANG_CLOUD_CONFIG names the file too: ${viaEnv.err}`);
  const missing = await cloudCli(['--config', join(dir, 'nope.toml'), 'gateways', 'list']);
  t.equal(missing.code, 3, 'an explicit config file that is missing is a config error (exit 3)');
  t.match(missing.errCode, /^CONFIG_ERR_/);
});

t.test('--url and --token are global: before or after the subcommand', async (t) => {
  const { cloud } = await startCloud(undefined, { http: { api_token: TOKEN } });
  t.teardown(() => cloud.stop());
  const url = `http://127.0.0.1:${cloud.api.port}`;
  for (const args of [
    ['--url', url, '--token', TOKEN, 'gateways', 'list'],
    ['gateways', 'list', '--url', url, '--token', TOKEN],
    ['--url', url, 'keys', 'list', '--token', TOKEN],
  ]) {
    const r = await cloudCli(args);
    t.equal(r.code, 0, `${args.join(' ')}: ${r.err}`);
  }
});

t.test('the order: flags > environment > current context > config file > default', async (t) => {
  const dir = tempDir('yw-cli-order-');
  const file = join(dir, 'cloud.toml');
  writeFileSync(file, '[http]\nhost = "::"\nport = 8181\napi_token = "cfg-token"\n');
  const env = { XDG_CONFIG_HOME: dir } as NodeJS.ProcessEnv;
  const pick = (
    g: Parameters<typeof resolveTarget>[0],
    e: NodeJS.ProcessEnv = env,
  ): [string, string, string, string] => {
    const x = resolveTarget({ config: file, ...g }, true, e);
    return [x.url, x.source, x.token, x.tokenSource];
  };
  t.same(
    pick({}),
    ['http://[::1]:8181', `--config ${file} (http.host, http.port)`, 'cfg-token', `--config ${file} (http.api_token)`],
    'config file: its listen address on this machine and its token',
  );
  writeContexts(join(dir, 'yiwang', 'cloud-contexts.json'), {
    current: 'lab',
    contexts: {
      lab: { url: 'https://lab.example.org', token: 'lab-token', savedMs: 1 },
      prod: { url: 'https://prod.example.org', token: 'prod-token', savedMs: 1 },
    },
  });
  t.same(
    pick({}),
    ['https://lab.example.org', 'context lab', 'lab-token', 'context lab'],
    'the current context beats the config file',
  );
  const withEnv = { ...env, YIWANG_CLOUD_URL: 'http://env.example.org:8080', YIWANG_CLOUD_TOKEN: 'env-token' };
  t.same(
    pick({}, withEnv),
    ['http://env.example.org:8080', 'YIWANG_CLOUD_URL', 'env-token', 'YIWANG_CLOUD_TOKEN'],
    'the environment beats the context',
  );
  t.same(
    pick({ context: 'prod' }, withEnv).slice(0, 3),
    ['https://prod.example.org', 'context prod', 'env-token'],
    '--context beats YIWANG_CLOUD_URL; YIWANG_CLOUD_TOKEN still beats a saved token',
  );
  t.same(
    pick({ url: 'http://flag.example.org/', token: 'flag-token' }, withEnv),
    ['http://flag.example.org', '--url', 'flag-token', '--token'],
    'flags beat everything',
  );
  t.same(
    pick({ url: 'http://flag.example.org' }),
    ['http://flag.example.org', '--url', '', ''],
    'a saved token is never sent to another URL',
  );
  t.same(pick({ url: 'http://flag.example.org' }, { ...env, YIWANG_CLOUD_TOKEN: 'env-token' }).slice(2), [
    'env-token',
    'YIWANG_CLOUD_TOKEN',
  ]);
  t.throws(() => pick({ url: 'ftp://x' }), {
    code: 'CLOUD_ERR_BAD_REQUEST',
    message: /not an http:\/\/ or https:\/\/ URL/,
  });
  t.throws(() => pick({ context: 'nope' }), { code: 'CLOUD_ERR_CONTEXT', message: /no context "nope"/ });
  t.equal(listenUrl('0.0.0.0', 8080), 'http://127.0.0.1:8080');
  t.equal(listenUrl('fd00::5', 8080), 'http://[fd00::5]:8080');
  t.equal(listenUrl('cloud.lan', 80), 'http://cloud.lan:80');
});

t.test('the default when nothing names a cloud (and the default config file is absent)', async (t) => {
  const x = resolveTarget({ config: join(xdg, 'absent.toml') }, false, { XDG_CONFIG_HOME: tempDir('yw-cli-none-') });
  t.same([x.url, x.token], ['http://127.0.0.1:8080', '']);
  t.match(x.source, /^the default/);
});
