/**
 * Issue 16: the admin token was logged via `?access_token=` when a request failed with a 500.
 * A forced store failure is requested with every way a credential can travel; no log line may
 * carry one, while the line still says which request failed.
 */
import t from 'tap';
import { startCloud } from '../../helpers/fleet.js';
import { rawRequest } from './raw-http.js';

const TOKEN = 'tok-secret-0123456789abcdef';

t.test('credentials never reach the log on a 500', async (t) => {
  const { cloud, logs } = await startCloud(undefined, { http: { api_token: TOKEN } });
  t.teardown(() => cloud.stop());
  const port = cloud.api.port;
  const host = `127.0.0.1:${port}`;
  const key = (
    await rawRequest(
      port,
      'POST',
      '/api/v1/keys',
      { host, authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      '{"scope":"read"}',
    )
  ).json().key as string;
  t.match(key, /^ywk_/);
  // the store fails, and its message even quotes what it was given
  cloud.store.listGateways = async () => {
    throw new Error(`database is locked (query by ${key} / ${TOKEN})`);
  };

  const asked = [
    `/api/v1/gateways?access_token=${TOKEN}`,
    `/api/v1/gateways?limit=5&access_token=${encodeURIComponent(TOKEN)}&x=1`,
    `/api/v1/gateways?access%5Ftoken=${TOKEN}`,
    `/api/v1/gateways?access_token=${key}`,
  ];
  for (const path of asked) {
    const res = await rawRequest(port, 'GET', path, { host });
    t.equal(res.status, 500, path.replace(TOKEN, '…'));
  }
  t.equal((await rawRequest(port, 'GET', '/api/v1/gateways', { host, authorization: `Bearer ${TOKEN}` })).status, 500);
  const failed = logs.lines.filter((l) => l.msg === 'request failed');
  t.equal(failed.length, 5, 'each failure is logged');
  t.match(failed[0]!.url, /^\/api\/v1\/gateways\?access_token=\[redacted\]$/, 'the line names the request');
  t.match(failed[1]!.url, /limit=5&access_token=\[redacted\]&x=1/);
  const all = JSON.stringify(logs.lines);
  t.notOk(all.includes(TOKEN), 'the API token appears in no log line');
  t.notOk(all.includes(key.slice(4)), 'the API key appears in no log line');
});
