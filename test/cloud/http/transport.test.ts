/**
 * Issue 22 item 5, transport: http.tls serves the API and dashboard over HTTPS with the fleet CA's
 * certificate (verified with the CA) or given files, with HSTS and a Secure session cookie; every
 * answer carries the security headers (the dashboard its CSP); plain MQTT on an address other than
 * loopback refuses to start unless mqtt.allow_plain.
 */
import t from 'tap';
import { X509Certificate } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { request, type RequestOptions } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { chromium } from 'playwright-core';
import { checkPlainMqtt, isLoopbackHost, loadCloudConfig } from '../../../cloud/config.js';
import { startCloud, tempDir } from '../../helpers/fleet.js';

const PW = 'Correct-Horse-9-Battery';

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  peer: X509Certificate;
}

function httpsCall(port: number, path: string, o: RequestOptions & { body?: unknown } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false, ...o }, (res) => {
      const peer = new X509Certificate((res.socket as TLSSocket).getPeerX509Certificate()!.raw);
      let body = '';
      res.on('data', (c) => (body += String(c)));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, peer }));
    });
    req.on('error', reject);
    if (o.body !== undefined) req.setHeader('content-type', 'application/json');
    req.end(o.body === undefined ? undefined : JSON.stringify(o.body));
  });
}

const SECURITY = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

t.test('http.tls: HTTPS with the fleet CA certificate, HSTS, headers, Secure cookie', async (t) => {
  const { cloud } = await startCloud(undefined, { http: { tls: true } });
  t.teardown(() => cloud.stop());
  const port = cloud.api.port;
  const ca = cloud.pki.caPem;

  const stats = await httpsCall(port, '/api/v1/stats', { ca });
  t.equal(stats.status, 200, 'verified with the fleet CA (the name 127.0.0.1 is in tls.hostnames)');
  t.ok(stats.peer.checkIssued(new X509Certificate(ca)), 'the certificate is issued by the fleet CA');
  t.equal(stats.peer.toString(), new X509Certificate(cloud.pki.serverCertPem).toString(), "MQTT TLS's certificate");
  t.match(stats.headers, { ...SECURITY, 'strict-transport-security': 'max-age=31536000', 'cache-control': 'no-store' });

  await t.rejects(httpsCall(port, '/healthz'), { code: /SELF_SIGNED|UNABLE_TO_VERIFY/ }, 'not trusted without the CA');
  const plain = await fetch(`http://127.0.0.1:${port}/healthz`).then(
    (r) => r.status,
    () => 'failed',
  );
  t.not(plain, 200, 'plain HTTP is not served on the HTTPS port');

  const ui = await httpsCall(port, '/ui/', { ca });
  t.equal(ui.status, 200);
  t.match(ui.headers['content-security-policy'], /^default-src 'self'; /);
  t.match(ui.headers['content-security-policy'], "frame-ancestors 'none'");
  t.match(ui.headers, { ...SECURITY, 'strict-transport-security': 'max-age=31536000' });
  t.notOk(String(ui.headers['cache-control']).includes('no-store'), 'the dashboard files may be revalidated');

  const made = await httpsCall(port, '/api/v1/users', {
    ca,
    method: 'POST',
    body: { name: 'sec', password: PW, role: 'security_admin' },
  });
  t.equal(made.status, 201, made.body);
  const signIn = await httpsCall(port, '/api/v1/session', { ca, method: 'POST', body: { name: 'sec', password: PW } });
  t.equal(signIn.status, 201, signIn.body);
  const cookie = signIn.headers['set-cookie']?.[0] ?? '';
  t.match(cookie, /^yw_session=[^;]+; Path=\/; HttpOnly; SameSite=Strict; Secure/, 'Secure follows http.tls');
  t.match(signIn.headers, { 'cache-control': 'no-store' });
});

t.test('without TLS: the headers, no HSTS, no Secure; an error answer has them too', async (t) => {
  const { cloud } = await startCloud();
  t.teardown(() => cloud.stop());
  const base = `http://127.0.0.1:${cloud.api.port}`;
  const r = await fetch(`${base}/api/v1/nope`);
  t.equal(r.status, 404);
  for (const [k, v] of Object.entries({ ...SECURITY, 'cache-control': 'no-store' })) t.equal(r.headers.get(k), v, k);
  t.equal(r.headers.get('content-security-policy'), "default-src 'none'; frame-ancestors 'none'");
  t.equal(r.headers.get('strict-transport-security'), null, 'no HSTS over plain HTTP');
  await fetch(`${base}/api/v1/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'sec', password: PW, role: 'security_admin' }),
  });
  const s = await fetch(`${base}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'sec', password: PW }),
  });
  t.equal(s.status, 201, await s.clone().text());
  t.notMatch(s.headers.get('set-cookie') ?? '', 'Secure');
  const metrics = await fetch(`${base}/metrics`);
  t.equal(metrics.headers.get('x-content-type-options'), 'nosniff', 'raw routes too');
});

t.test('http.cert_file / http.key_file: a given certificate', async (t) => {
  // another cloud's fleet CA stands in for a public one
  const { cloud: issuer } = await startCloud();
  t.teardown(() => issuer.stop());
  const dir = tempDir('yw-https-');
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  writeFileSync(cert, issuer.pki.serverCertPem);
  writeFileSync(key, issuer.pki.serverKeyPem, { mode: 0o600 });
  const { cloud } = await startCloud(undefined, { http: { tls: true, cert_file: cert, key_file: key } });
  t.teardown(() => cloud.stop());
  const r = await httpsCall(cloud.api.port, '/healthz', { ca: issuer.pki.caPem });
  t.equal(r.status, 200);
  t.equal(r.peer.toString(), new X509Certificate(issuer.pki.serverCertPem).toString(), 'the given certificate');
  await t.rejects(httpsCall(cloud.api.port, '/healthz', { ca: cloud.pki.caPem }), 'not its own fleet CA');

  t.throws(() => loadCloudConfig(undefined, { http: { tls: true, cert_file: cert } }), { code: 'CONFIG_ERR_INVALID' });
  t.throws(() => loadCloudConfig(undefined, { http: { cert_file: cert, key_file: key } }), {
    code: 'CONFIG_ERR_INVALID',
    message: /only with http.tls = true/,
  });
  await t.rejects(startCloud(undefined, { http: { tls: true, cert_file: join(dir, 'none.pem'), key_file: key } }), {
    code: 'CONFIG_ERR_READ',
    message: /http.cert_file .*none\.pem/,
  });
  writeFileSync(join(dir, 'junk.pem'), 'not a certificate');
  await t.rejects(
    startCloud(undefined, { http: { tls: true, cert_file: join(dir, 'junk.pem'), key_file: key } }),
    { code: 'CONFIG_ERR_INVALID', message: /http.tls: the certificate or key cannot be used/ },
    'a file that is not PEM is named (and the half-started cloud is stopped)',
  );
});

t.test('plain MQTT beyond loopback refuses to start unless mqtt.allow_plain', async (t) => {
  for (const host of ['0.0.0.0', '::', '', '192.0.2.1'])
    await t.rejects(
      startCloud(undefined, { mqtt: { host } }),
      {
        code: 'CONFIG_ERR_INVALID',
        message: /plain \(unencrypted\) MQTT beyond this machine.*mqtt\.allow_plain = true/,
      },
      `mqtt.host ${JSON.stringify(host)}`,
    );
  for (const h of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', '::ffff:127.0.0.1'])
    t.ok(isLoopbackHost(h), h);
  for (const h of ['0.0.0.0', '::', '10.0.0.1', '128.0.0.1', 'example.org', '']) t.notOk(isLoopbackHost(h), h);
  // TLS MQTT on every address is what gateways use: unaffected
  t.doesNotThrow(() => checkPlainMqtt(loadCloudConfig(undefined, { tls: { host: '0.0.0.0' } })));
  t.equal(loadCloudConfig().mqtt.allow_plain, false, 'off by default');

  const { cloud } = await startCloud(undefined, { mqtt: { host: '0.0.0.0', allow_plain: true } });
  t.teardown(() => cloud.stop());
  t.ok(cloud.broker.port > 0, 'with mqtt.allow_plain it starts');
});

t.test('the dashboard loads under its CSP in Chromium (no violation), and the CSP is enforced', async (t) => {
  const { cloud } = await startCloud(undefined, { http: { tls: true } });
  t.teardown(() => cloud.stop());
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-sync'],
  });
  t.teardown(() => browser.close());
  // the fleet CA is not in Chromium's store: certificate errors are ignored here, the CA check is the first test's
  const page = await browser.newPage({ ignoreHTTPSErrors: true });
  const violations: string[] = [];
  const errors: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`https://127.0.0.1:${cloud.api.port}/`);
  await page.waitForSelector('body[data-ready="true"]');
  t.match(await page.locator('#sum-gateways-total').textContent(), /^\d+$/, 'the summary rendered');
  t.same(violations, [], 'no CSP violation while the dashboard loads and renders');
  t.same(errors, []);
  const inline = await page.evaluate(
    () =>
      new Promise<string>((resolve) => {
        document.addEventListener('securitypolicyviolation', (e) => resolve(e.violatedDirective), { once: true });
        const s = document.createElement('script');
        s.textContent = 'window.__inline = 1';
        document.body.append(s);
        setTimeout(() => resolve('none'), 2000);
      }),
  );
  t.match(inline, /^script-src/, 'an inline script is refused');
});
