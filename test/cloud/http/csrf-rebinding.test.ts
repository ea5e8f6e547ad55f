/**
 * Issue 16 finding 9: the no-token loopback API answered a cross-site `text/plain` form POST
 * (a claim token with 1,000,000 uses) and a DNS-rebinding request (Host: the attacker's name).
 * Requests are shaped as a browser sends them: Host, Origin, Sec-Fetch-*, Content-Type.
 */
import t from 'tap';
import { startCloud } from '../../helpers/fleet.js';
import { rawRequest } from './raw-http.js';

const CLAIM = '{"uses":1000000,"note":"x","pad":"="}'; // what <form enctype="text/plain"> with name `{"uses":1000000,"note":"x","pad":"` and value `"}` sends

t.test('cross-site form POSTs and rebinding Hosts are refused; the same-origin dashboard still works', async (t) => {
  const { cloud } = await startCloud();
  t.teardown(() => cloud.stop());
  const port = cloud.api.port;
  const self = `127.0.0.1:${port}`;
  const claims = async (): Promise<number> =>
    ((await rawRequest(port, 'GET', '/api/v1/claims', { host: self })).json().claims as unknown[]).length;

  // <form method=POST enctype=text/plain action=http://127.0.0.1:port/api/v1/claims> on http://evil.example
  const form = await rawRequest(
    port,
    'POST',
    '/api/v1/claims',
    {
      host: self,
      origin: 'http://evil.example',
      'content-type': 'text/plain',
      'sec-fetch-site': 'cross-site',
      'sec-fetch-mode': 'navigate',
      'sec-fetch-dest': 'document',
    },
    CLAIM,
  );
  t.equal(form.status, 403, 'cross-site text/plain form POST refused');
  t.equal(form.json().error?.code, 'CLOUD_ERR_CROSS_ORIGIN');
  // the same with form encoding, and a no-cors fetch (no Sec-Fetch headers: an older browser)
  t.equal(
    (
      await rawRequest(
        port,
        'POST',
        '/api/v1/claims',
        { host: self, origin: 'http://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
        'uses=1000000',
      )
    ).status,
    403,
  );
  t.equal(
    (
      await rawRequest(
        port,
        'POST',
        '/api/v1/claims',
        { host: self, origin: 'null', 'content-type': 'text/plain' },
        CLAIM,
      )
    ).status,
    403,
    'Origin: null (sandboxed frame) refused',
  );
  t.equal(
    (
      await rawRequest(
        port,
        'POST',
        '/api/v1/claims',
        { host: self, 'sec-fetch-site': 'cross-site', 'content-type': 'application/json' },
        CLAIM,
      )
    ).status,
    403,
    'cross-site write without Origin refused',
  );
  // a text/plain body without any Origin (not a browser, or one that sends none) still needs JSON
  const plain = await rawRequest(port, 'POST', '/api/v1/claims', { host: self, 'content-type': 'text/plain' }, CLAIM);
  t.equal(plain.status, 415, 'text/plain body refused');
  t.equal(plain.json().error?.code, 'CLOUD_ERR_UNSUPPORTED_MEDIA_TYPE');
  t.equal(
    (await rawRequest(port, 'POST', '/api/v1/claims', { host: self }, CLAIM)).status,
    415,
    'a body without Content-Type refused',
  );
  // the CORS preflight a cross-origin JSON fetch would send fails
  t.equal(
    (
      await rawRequest(port, 'OPTIONS', '/api/v1/claims', {
        host: self,
        origin: 'http://evil.example',
        'access-control-request-method': 'POST',
      })
    ).status,
    403,
  );

  // DNS rebinding: evil.example now resolves to 127.0.0.1; to the browser the page is same-origin
  const evil = `evil.example:${port}`;
  const rebound = await rawRequest(
    port,
    'POST',
    '/api/v1/claims',
    { host: evil, origin: `http://${evil}`, 'content-type': 'application/json', 'sec-fetch-site': 'same-origin' },
    CLAIM,
  );
  t.equal(rebound.status, 421, 'rebinding write refused');
  t.equal(rebound.json().error?.code, 'CLOUD_ERR_HOST_NOT_ALLOWED');
  t.equal((await rawRequest(port, 'GET', '/api/v1/gateways', { host: evil })).status, 421, 'rebinding read refused');
  t.equal((await rawRequest(port, 'GET', '/ui/', { host: evil })).status, 421, 'rebinding dashboard refused');
  t.equal(
    (await rawRequest(port, 'GET', '/api/v1/live', { host: evil })).status,
    421,
    'rebinding live updates refused',
  );
  t.equal((await rawRequest(port, 'GET', '/healthz', { host: 'localhost.evil.example' })).status, 421);
  t.equal((await rawRequest(port, 'GET', '/healthz', { host: 'bad host!' })).status, 421, 'malformed Host refused');
  t.equal(await claims(), 0, 'no claim was created by any of them');

  // same-origin dashboard requests and programs without Origin work, under every loopback name
  for (const host of [self, `localhost:${port}`, `[::1]:${port}`, `app.localhost:${port}`]) {
    const ok = await rawRequest(
      port,
      'POST',
      '/api/v1/claims',
      {
        host,
        origin: `http://${host}`,
        'content-type': 'application/json',
        'sec-fetch-site': 'same-origin',
        'sec-fetch-mode': 'cors',
      },
      '{"note":"dashboard"}',
    );
    t.equal(ok.status, 201, `same-origin POST via ${host}`);
  }
  t.equal(
    (
      await rawRequest(
        port,
        'POST',
        '/api/v1/claims',
        { host: self, 'content-type': 'application/json; charset=utf-8' },
        '{"note":"cli"}',
      )
    ).status,
    201,
    'CLI-style POST (no Origin)',
  );
  t.equal(
    (await rawRequest(port, 'POST', `/api/v1/gateways/none/revoke`, { host: self })).status,
    404,
    'a bodyless write needs no Content-Type',
  );
  t.equal(
    (
      await rawRequest(port, 'GET', '/ui/', {
        host: self,
        'sec-fetch-site': 'cross-site',
        'sec-fetch-mode': 'navigate',
      })
    ).status !== 403,
    true,
    'following a link to the dashboard from another site works',
  );
  t.equal(await claims(), 5);

  const stats = (await rawRequest(port, 'GET', '/api/v1/stats', { host: self })).json() as {
    http: { refused: Record<string, number> };
  };
  t.ok(
    (stats.http.refused.origin ?? 0) >= 5 &&
      (stats.http.refused.host ?? 0) >= 6 &&
      (stats.http.refused.content_type ?? 0) >= 2,
    `counted: ${JSON.stringify(stats.http.refused)}`,
  );
  const metrics = (await rawRequest(port, 'GET', '/metrics', { host: self })).text;
  t.match(metrics, /yiwang_http_refused_total\{reason="host"\} [1-9]/);
  t.match(metrics, /yiwang_http_refused_total\{reason="origin"\} [1-9]/);
});

t.test('with a token too; http.allowed_hosts admits names', async (t) => {
  const { cloud } = await startCloud(undefined, {
    http: { api_token: 'tok-123', allowed_hosts: ['cloud.example.org', '.city.example'] },
  });
  t.teardown(() => cloud.stop());
  const port = cloud.api.port;
  const auth = { authorization: 'Bearer tok-123', 'content-type': 'application/json' };
  t.equal(
    (
      await rawRequest(
        port,
        'POST',
        '/api/v1/claims',
        { ...auth, host: `127.0.0.1:${port}`, origin: 'https://evil.example' },
        '{}',
      )
    ).status,
    403,
    'a cross-origin write with a valid token is refused',
  );
  t.equal(
    (await rawRequest(port, 'GET', '/api/v1/claims', { ...auth, host: 'evil.example' })).status,
    421,
    'a rebinding Host with a valid token is refused',
  );
  t.equal(
    (await rawRequest(port, 'GET', '/api/v1/claims', { ...auth, host: 'cloud.example.org' })).status,
    200,
    'listed name',
  );
  t.equal(
    (await rawRequest(port, 'GET', '/api/v1/claims', { ...auth, host: 'ops.city.example:8443' })).status,
    200,
    'subdomain of a listed .domain',
  );
  t.equal(
    (await rawRequest(port, 'GET', '/api/v1/claims', { ...auth, host: 'city.example' })).status,
    200,
    'the .domain itself',
  );
  t.equal(
    (await rawRequest(port, 'GET', '/api/v1/claims', { ...auth, host: 'evilcity.example' })).status,
    421,
    'a name merely ending in it is not',
  );
  // behind a TLS proxy that keeps the Host: the dashboard's Origin is https://cloud.example.org
  t.equal(
    (
      await rawRequest(
        port,
        'POST',
        '/api/v1/claims',
        { ...auth, host: 'cloud.example.org', origin: 'https://cloud.example.org' },
        '{}',
      )
    ).status,
    201,
    'same origin through a proxy',
  );
});
