/**
 * Limits of the HTTP listener (docs/reference/limits.md, "Cloud: HTTP API and dashboard"):
 * malformed %-escapes are 400 (were 500 with a database hint), bodies are capped while
 * streaming (413), heads and URLs are capped (431, 414), failed authentications per address
 * are throttled (429), connections are capped, and slow requests time out (408).
 */
import t from 'tap';
import { connect, type Socket } from 'node:net';
import type { Server } from 'node:http';
import { startCloud } from '../../helpers/fleet.js';
import { until } from '../../helpers/wait.js';
import { rawRequest } from './raw-http.js';

const JSON_TYPE = { 'content-type': 'application/json' };

/** Reads what the server sends on a raw socket until it closes it. */
const drain = (s: Socket): Promise<string> =>
  new Promise((resolve) => {
    let text = '';
    s.on('data', (c: Buffer) => {
      text += c.toString('latin1');
    });
    s.on('close', () => resolve(text));
    s.on('error', () => {});
  });

t.test('malformed %-escapes are 400 on every route that takes an id', async (t) => {
  const { cloud, logs } = await startCloud();
  t.teardown(() => cloud.stop());
  const port = cloud.api.port;
  const host = `127.0.0.1:${port}`;
  let checked = 0;
  for (const r of cloud.api.routeTable()) {
    if (!r.path.source.includes('([^/]+)')) continue;
    const path = r.path.source
      .replace(/^\^/, '')
      .replace(/\$$/, '')
      .replace(/\\\//g, '/')
      .replace(/\(\[\^\/\]\+\)/g, '%E0%A4%A');
    const res = await rawRequest(port, r.method, path, { host, ...JSON_TYPE }, r.method === 'GET' ? undefined : '{}');
    t.equal(res.status, 400, `${r.method} ${path}`);
    t.equal(res.json().error?.code, 'CLOUD_ERR_BAD_REQUEST');
    checked++;
  }
  t.ok(checked >= 15, `${checked} routes checked`);
  t.same(
    logs.lines.filter((l) => l.msg === 'request failed'),
    [],
    'nothing logged as a server failure',
  );
});

t.test('bodies are capped before and while reading (413)', async (t) => {
  const { cloud } = await startCloud();
  t.teardown(() => cloud.stop());
  const port = cloud.api.port;
  const host = `127.0.0.1:${port}`;
  // a declared 10 MB body is refused at once, without waiting for it
  const s = connect(port, '127.0.0.1');
  const declared = drain(s);
  s.write(
    `POST /api/v1/gateways HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: 10000000\r\n\r\n{"id":`,
  );
  const answer = await declared;
  t.match(answer, /^HTTP\/1\.1 413 /, 'declared length over the cap: 413 and closed');
  t.match(answer, /CLOUD_ERR_BODY_TOO_LARGE/);
  // a chunked body that grows past the cap is cut off while streaming
  const c = connect(port, '127.0.0.1');
  const chunked = drain(c);
  c.write(
    `POST /api/v1/gateways HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`,
  );
  const piece = 'x'.repeat(16_384);
  for (let i = 0; i < 8 && !c.destroyed; i++) {
    c.write(`${piece.length.toString(16)}\r\n${piece}\r\n`);
    await new Promise((r) => setTimeout(r, 5));
  }
  t.match(await chunked, /^HTTP\/1\.1 413 /, 'streamed body over 64 KiB: 413');
  // config layers may be larger (1 MiB), and are capped too
  const layer = await rawRequest(
    port,
    'PUT',
    '/api/v1/config/fleet',
    { host, ...JSON_TYPE },
    JSON.stringify({ toml: `# ${'x'.repeat(1_100_000)}` }),
  );
  t.equal(layer.status, 413);
  const small = await rawRequest(
    port,
    'PUT',
    '/api/v1/config/fleet',
    { host, ...JSON_TYPE },
    JSON.stringify({ toml: `# ${'x'.repeat(200_000)}\n` }),
  );
  t.equal(small.status, 200, 'a 200 KB layer is within its cap');
  const stats = (await rawRequest(port, 'GET', '/api/v1/stats', { host })).json() as {
    http: { refused: Record<string, number> };
  };
  t.equal(stats.http.refused.body_too_large, 3);
});

t.test('heads and URLs are capped (431, 414)', async (t) => {
  const { cloud } = await startCloud(undefined, { http: { max_header_bytes: 4096 } });
  t.teardown(() => cloud.stop());
  const port = cloud.api.port;
  const host = `127.0.0.1:${port}`;
  const big = await rawRequest(port, 'GET', '/api/v1/gateways', { host, 'x-filler': 'y'.repeat(8000) });
  t.equal(big.status, 431);
  t.equal(big.json().error?.code, 'CLOUD_ERR_HEADERS_TOO_LARGE');
  const { cloud: c2 } = await startCloud();
  t.teardown(() => c2.stop());
  const long = await rawRequest(c2.api.port, 'GET', `/api/v1/devices?type=${'a'.repeat(9000)}`, {
    host: `127.0.0.1:${c2.api.port}`,
  });
  t.equal(long.status, 414);
  t.equal(long.json().error?.code, 'CLOUD_ERR_URL_TOO_LONG');
  t.equal((await rawRequest(port, 'GET', '/healthz', { host })).status, 200, 'the server still answers');
});

t.test('failed authentications are throttled per address; the token still works', async (t) => {
  const { cloud } = await startCloud(undefined, { http: { api_token: 'tok-123', auth_failures_per_min: 5 } });
  t.teardown(() => cloud.stop());
  const port = cloud.api.port;
  const host = `127.0.0.1:${port}`;
  const statuses: number[] = [];
  for (let i = 0; i < 8; i++)
    statuses.push(
      (
        await rawRequest(port, 'GET', '/api/v1/gateways', {
          host,
          authorization: `Bearer ywk_guess${String(i).padStart(20, '0')}`,
        })
      ).status,
    );
  t.same(statuses, [401, 401, 401, 401, 401, 429, 429, 429]);
  const limited = await rawRequest(port, 'GET', '/api/v1/gateways?access_token=wrong', { host });
  t.equal(limited.json().error?.code, 'CLOUD_ERR_RATE_LIMITED');
  t.equal(
    (await rawRequest(port, 'GET', '/api/v1/gateways', { host, authorization: 'Bearer tok-123' })).status,
    200,
    'the configured token is never throttled',
  );
  t.equal((await rawRequest(port, 'GET', '/healthz', { host })).status, 200);
  const stats = (await rawRequest(port, 'GET', '/api/v1/stats', { host, authorization: 'Bearer tok-123' })).json() as {
    http: { refused: Record<string, number> };
  };
  t.equal(stats.http.refused.auth_throttled, 4);
});

t.test('connections are capped and slow requests time out', async (t) => {
  const { cloud } = await startCloud(undefined, { http: { max_connections: 3, request_timeout_ms: 1000 } });
  t.teardown(() => cloud.stop());
  const port = cloud.api.port;
  const host = `127.0.0.1:${port}`;
  // three slow clients (slowloris: a head that never ends) hold every connection
  const slow = [0, 1, 2].map(() => {
    const s = connect(port, '127.0.0.1');
    s.write(`GET /healthz HTTP/1.1\r\nHost: ${host}\r\n`);
    return { s, text: drain(s) };
  });
  await until('three connections open', () => slow.every((x) => x.s.readyState === 'open'));
  const server = (cloud.api as unknown as { server: Server }).server;
  await until(
    'the server holds the three',
    () => new Promise<boolean>((r) => server.getConnections((_e, n) => r(n === 3))),
  );
  const fourth = connect(port, '127.0.0.1');
  const closed = drain(fourth);
  fourth.write(`GET /healthz HTTP/1.1\r\nHost: ${host}\r\n\r\n`);
  t.equal(await closed, '', 'a fourth connection is closed without an answer');
  for (const x of slow)
    t.match(
      await x.text,
      /^HTTP\/1\.1 408 [\s\S]*CLOUD_ERR_REQUEST_TIMEOUT/,
      'a head not finished in time: 408 and closed',
    );
  t.equal((await rawRequest(port, 'GET', '/healthz', { host })).status, 200, 'then the server takes connections again');
  const stats = (await rawRequest(port, 'GET', '/api/v1/stats', { host })).json() as {
    http: { refused: Record<string, number> };
  };
  t.equal(stats.http.refused.connections, 1);
  t.equal(stats.http.refused.timeout, 3);
});
