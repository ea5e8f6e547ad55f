/**
 * Property tests (fast-check) of the cloud's HTTP API: random methods, paths built from the
 * route table with hostile segments (%-garbage, unicode, dot segments, huge numbers), random
 * query parameters, headers and bodies never get a 500 and never take the server down; nor do
 * random bytes on a raw connection. A 500 would mean a request reached code that did not expect
 * it (issue 16: a malformed %-escape answered 500 with a database hint).
 */
import t from 'tap';
import fc from 'fast-check';
import { connect } from 'node:net';
import { request } from 'node:http';
import { startCloud } from '../../helpers/fleet.js';
import { rawRequest } from './raw-http.js';

const PARAMS = [
  'limit',
  'from',
  'to',
  'metric',
  'gateway',
  'online',
  'type',
  'after',
  'before',
  'status',
  'reason',
  'sort',
  'order',
  'offset',
  'q',
  'district',
  'site',
  'group',
  'hours',
  'revision',
  'alarms',
  'open',
  'all',
  'sites',
  'access_token',
];
const BODY_KEYS = [
  'id',
  'devices',
  'gatewayId',
  'intervalS',
  'type',
  'toml',
  'activate',
  'group',
  'site',
  'district',
  'ttlS',
  'uses',
  'note',
  'name',
  'scope',
  'revision',
  'waves',
  'soakMs',
  'maxFailedRatio',
  'by',
];

/** Percent-encodes what may not appear raw in a request target, leaving `%` as it is (garbage escapes stay). */
const target = (s: string): string => s.replace(/[^A-Za-z0-9\-._~!$&'()*+,;=:@/?%]/gu, (c) => encodeURIComponent(c));

const segment = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9._~-]{1,24}$/),
  fc.constantFrom('%', '%E0%A4%A', '%zz', '%00', '..', '.', '%2F', '%2e%2e', '%C0%AF', '%FF%FE', '%u0041', 'a%', '%%'),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }).map(encodeURIComponent),
  fc.stringMatching(/^[0-9]{1,30}$/),
  fc.string({ minLength: 1, maxLength: 300 }).map(target),
);
const value = fc.oneof(
  fc.constantFrom(
    '',
    '0',
    '-1',
    '1e309',
    'NaN',
    'Infinity',
    '9007199254740993',
    '-9007199254740993',
    'true',
    'false',
    'yes',
    'desc',
    'asc',
    '%',
    '%E0%A4%A',
    '0x10',
    '1.5',
  ),
  fc.integer().map(String),
  fc.stringMatching(/^[0-9]{1,40}$/),
  fc.string({ maxLength: 40 }).map(target),
);
const query = fc
  .array(fc.tuple(fc.oneof(fc.constantFrom(...PARAMS), fc.string({ maxLength: 8 }).map(target)), value), {
    maxLength: 5,
  })
  .map((kv) => (kv.length ? `?${kv.map(([k, v]) => `${k}=${v}`).join('&')}` : ''));
const bodyValue = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(1e308, -1, 0, 1.5, 2 ** 53 + 2, '', 'x'.repeat(300)),
  fc.array(
    fc.record(
      {
        id: fc.string({ maxLength: 300 }),
        gatewayId: fc.string({ maxLength: 70 }),
        intervalS: fc.oneof(fc.integer(), fc.double()),
        type: fc.string(),
      },
      { requiredKeys: [] },
    ),
    { maxLength: 3 },
  ),
);
const body = fc.oneof(
  fc.constant(undefined),
  fc.dictionary(fc.constantFrom(...BODY_KEYS), bodyValue, { maxKeys: 5 }).map((o) => JSON.stringify(o)),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 200 }),
  fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
);

t.test('random requests never get a 500 and never take the server down', async (t) => {
  const { cloud, logs } = await startCloud(undefined, { http: { auth_failures_per_min: 0 } });
  t.teardown(() => cloud.stop());
  const port = cloud.api.port;
  const self = `127.0.0.1:${port}`;
  const routes = cloud.api.routeTable().map((r) => ({
    method: r.method,
    source: r.path.source.replace(/^\^/, '').replace(/\$$/, '').replace(/\\\//g, '/'),
  }));
  const route = fc.constantFrom(...routes);
  /** A route's method and its path with hostile segments in place of its parameters. */
  const routed = fc.tuple(route, fc.array(segment, { minLength: 3, maxLength: 3 })).map(([r, segs]) => {
    let i = 0;
    return [r.method, r.source.replace(/\([^)]*\)/g, () => segs[i++]!)] as const;
  });
  const anyPath = fc.array(segment, { maxLength: 6 }).map((s) => `/${s.join('/')}`);
  const headers = fc.record(
    {
      host: fc.oneof(
        { weight: 6, arbitrary: fc.constant(self) },
        fc.constantFrom('localhost', `[::1]:${port}`, 'evil.example', '', 'a b', '[zz]', `127.0.0.1:${port}:1`),
      ),
      origin: fc.oneof(
        { weight: 6, arbitrary: fc.constant(undefined) },
        fc.constantFrom(`http://${self}`, 'http://evil.example', 'null', 'not a url', 'file://', `https://${self}`),
      ),
      'content-type': fc.oneof(
        { weight: 6, arbitrary: fc.constant('application/json') },
        fc.constantFrom(
          undefined,
          'application/json; charset=utf-8',
          'text/plain',
          'APPLICATION/JSON',
          'application/jsonx',
          ';',
          '',
        ),
      ),
      authorization: fc.oneof(
        { weight: 6, arbitrary: fc.constant(undefined) },
        fc.constantFrom('Bearer ', 'Bearer ywk_AAAAAAAAAAAAAAAAAAAAAAAA', 'Basic Zm9vOmJhcg==', 'Bearer x'),
      ),
      'sec-fetch-site': fc.oneof(
        { weight: 6, arbitrary: fc.constant(undefined) },
        fc.constantFrom('same-origin', 'cross-site', 'none'),
      ),
    },
    { requiredKeys: ['host'] },
  );
  const methods = fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS');

  const seen = new Map<number, number>();
  await fc.assert(
    fc.asyncProperty(
      fc.oneof(
        { weight: 4, arbitrary: routed },
        {
          weight: 1,
          arbitrary: fc.tuple(
            methods,
            fc.oneof(
              routed.map(([, p]) => p),
              anyPath,
            ),
          ),
        },
      ),
      query,
      headers,
      body,
      async ([method, p], q, h, b) => {
        const hs = Object.fromEntries(Object.entries(h).filter(([, v]) => v !== undefined)) as Record<string, string>;
        if (b !== undefined) hs['content-length'] = String(Buffer.byteLength(b));
        const status = await new Promise<number>((resolve, reject) => {
          const req = request(
            {
              host: '127.0.0.1',
              port,
              method,
              path: p + q,
              headers: hs,
              setHost: false,
              agent: false,
              timeout: 10_000,
            },
            (res) => {
              if ((res.headers['content-type'] ?? '').startsWith('text/event-stream')) {
                res.destroy();
                resolve(res.statusCode ?? 0);
                return;
              }
              res.resume();
              res.on('end', () => resolve(res.statusCode ?? 0));
            },
          );
          req.on('timeout', () => req.destroy(new Error('no answer')));
          req.on('error', reject);
          req.end(b);
        });
        seen.set(status, (seen.get(status) ?? 0) + 1);
        if (status >= 500 && status !== 503) throw new Error(`${method} ${p}${q} → ${status}`);
      },
    ),
    { numRuns: Number(process.env.YW_FUZZ_RUNS ?? 400) },
  );
  t.comment(`statuses: ${JSON.stringify(Object.fromEntries([...seen].sort()))}`);
  t.ok(
    [...seen.keys()].some((s) => s < 300),
    'some requests got through to a route',
  );
  t.same(
    logs.lines.filter((l) => l.msg === 'request failed'),
    [],
    'no request failed inside the server',
  );
  t.equal((await rawRequest(port, 'GET', '/healthz', { host: self })).status, 200, 'the server answers');
});

t.test('random bytes on a raw connection are answered 4xx or closed, never a crash', async (t) => {
  const { cloud, logs } = await startCloud();
  t.teardown(() => cloud.stop());
  const port = cloud.api.port;
  const self = `127.0.0.1:${port}`;
  const head = fc.oneof(
    fc.constant(`GET /api/v1/gateways HTTP/1.1\r\nHost: ${self}\r\n`),
    fc.constant(
      `POST /api/v1/claims HTTP/1.1\r\nHost: ${self}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`,
    ),
    fc.constant(
      `PUT /api/v1/devices HTTP/1.1\r\nHost: ${self}\r\nContent-Type: application/json\r\nContent-Length: 12\r\n\r\n`,
    ),
    fc.constant(''),
  );
  await fc.assert(
    fc.asyncProperty(head, fc.uint8Array({ maxLength: 400 }), async (h, bytes) => {
      const answer = await new Promise<string>((resolve) => {
        const s = connect(port, '127.0.0.1');
        let text = '';
        s.on('data', (c: Buffer) => {
          text += c.toString('latin1');
        });
        s.on('error', () => {});
        s.on('close', () => resolve(text));
        s.end(Buffer.concat([Buffer.from(h, 'latin1'), Buffer.from(bytes), Buffer.from('\r\n\r\n')]));
        setTimeout(() => s.destroy(), 2000).unref();
      });
      for (const m of answer.matchAll(/HTTP\/1\.1 (\d{3})/g))
        if (Number(m[1]) >= 500) throw new Error(`answered ${m[0]}`);
    }),
    { numRuns: 150 },
  );
  t.same(
    logs.lines.filter((l) => l.msg === 'request failed'),
    [],
    'no request failed inside the server',
  );
  t.equal((await rawRequest(port, 'GET', '/healthz', { host: self })).status, 200, 'the server answers');
});
