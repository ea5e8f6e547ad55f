/**
 * The DTLS server against libcoap's clients (OpenSSL and GnuTLS builds) over loopback: PSK
 * handshakes with CCM_8 and GCM, a CoAP POST arrives and is answered; a wrong key or an unknown
 * identity fails the handshake and leaves nothing in the table.
 */
import t from 'tap';
import { coapClient, startHarness } from './harness.js';

const KEYS = new Map([['dev-1', Buffer.from('secret-key-1')]]);
const pskFor = (id: string): Buffer | undefined => KEYS.get(id);

for (const binary of ['coap-client-openssl', 'coap-client-gnutls']) {
  t.test(`${binary}: CCM_8 handshake, POST arrives and is answered`, async (t) => {
    const h = await startHarness({ pskFor, suites: ['TLS_PSK_WITH_AES_128_CCM_8'] });
    t.teardown(() => h.close());
    const r = await coapClient(binary, h.port, 'dev-1', 'secret-key-1', 'reading=21.5');
    t.equal(r.code, 0, `client exit 0 (${r.stderr.slice(0, 300)})`);
    t.same(h.coap, ['reading=21.5'], 'the payload arrived');
    const s = h.server.stats();
    t.equal(s.handshakesCompleted, 1, 'one handshake completed');
    t.ok(s.cookiesSent >= 1, 'a cookie exchange came first');
    t.equal(h.received[0]?.session.identity, 'dev-1', 'session identity');
    t.equal(h.received[0]?.session.suite, 'TLS_PSK_WITH_AES_128_CCM_8', 'CCM_8 negotiated');
  });

  t.test(`${binary}: GCM handshake when the server allows only GCM`, async (t) => {
    const h = await startHarness({ pskFor, suites: ['TLS_PSK_WITH_AES_128_GCM_SHA256'] });
    t.teardown(() => h.close());
    const r = await coapClient(binary, h.port, 'dev-1', 'secret-key-1', 'gcm');
    t.equal(r.code, 0, `client exit 0 (${r.stderr.slice(0, 300)})`);
    t.same(h.coap, ['gcm'], 'the payload arrived');
    t.equal(h.received[0]?.session.suite, 'TLS_PSK_WITH_AES_128_GCM_SHA256', 'GCM negotiated');
  });

  t.test(`${binary}: a wrong key fails and leaves no session`, async (t) => {
    const h = await startHarness({ pskFor });
    t.teardown(() => h.close());
    const r = await coapClient(binary, h.port, 'dev-1', 'not-the-key', 'x');
    t.same(h.coap, [], 'nothing arrived');
    t.not(r.stdout.includes('2.04'), true, 'no answer printed');
    const s = h.server.stats();
    t.equal(s.handshakesCompleted, 0, 'no handshake completed');
    t.ok(s.handshakesFailed >= 1, 'handshake failures counted');
    t.equal(s.sessions + s.handshakes, 0, 'no session or handshake left');
    t.equal(s.tableBytes, 0, 'table empty');
  });

  t.test(`${binary}: an unknown identity fails and leaves no session`, async (t) => {
    const failures: string[] = [];
    const h = await startHarness({ pskFor, onHandshakeFailed: (e) => failures.push(e.code) });
    t.teardown(() => h.close());
    await coapClient(binary, h.port, 'nobody', 'secret-key-1', 'x');
    t.same(h.coap, [], 'nothing arrived');
    const s = h.server.stats();
    t.equal(s.handshakesCompleted, 0, 'no handshake completed');
    t.equal(s.sessions + s.handshakes, 0, 'no session or handshake left');
    t.ok(failures.includes('DTLS_ERR_UNKNOWN_IDENTITY'), `coded failure reported (${failures.join(',')})`);
  });
}
