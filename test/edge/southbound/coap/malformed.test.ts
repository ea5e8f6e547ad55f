/**
 * Malformed CoAP requests get the client error that fits (4.00, 4.02, 4.05, 4.13, 4.15), or an
 * RST when not even the token can be read; 5.xx is kept for the agent's own failures (issue 16).
 * node-coap answered 5.00 to several of these, let malformed options change the resource, and
 * logged one warn line per bad datagram.
 */
import t from 'tap';
import type { Socket } from 'node:dgram';
import type { Test } from 'tap';
import { generate, parse, type ParsedPacket, type NamedOption, type Option } from 'coap-packet';
import { edgeConfig, startEdge, tempDir } from '../../../helpers/fleet.js';
import { coapAgent, udpPeer } from './coap-peer.js';
import { captureLog } from '../../../helpers/log-capture.js';
import { until } from '../../../helpers/wait.js';
import { CoapUplinkServer } from '../../../../edge/southbound/coap/server.js';
import { EdgeMetrics } from '../../../../edge/api/metrics.js';

const senml = Buffer.from('[{"n":"temperature","u":"Cel","v":21.5}]');

/** A UDP peer (closed at the end of `t`) that keeps every message it receives in `got`. */
async function udp(t: Test): Promise<Socket & { got: ParsedPacket[] }> {
  const s = Object.assign(await udpPeer(t), { got: [] as ParsedPacket[] });
  s.on('message', (m) => s.got.push(parse(m)));
  return s;
}

/** Sends raw bytes whose message id is `mid` (bytes 2-3) and waits for the message answering it. */
async function send(s: Socket & { got: ParsedPacket[] }, port: number, raw: Buffer): Promise<ParsedPacket> {
  const mid = raw.readUInt16BE(2);
  const token = raw.subarray(4, 4 + (raw[0]! & 0x0f));
  s.send(raw, port, '127.0.0.1');
  let found: ParsedPacket | undefined;
  await until(
    `answer to ${mid}`,
    () => {
      found = s.got.find((p) => p.messageId === mid || (p.token.length > 0 && p.token.equals(token)));
      return found !== undefined;
    },
    10_000,
    5,
  );
  s.got.splice(s.got.indexOf(found!), 1);
  return found!;
}

let nextMid = 1000;
function post(options: (NamedOption | Option)[], payload: Buffer = senml, code = '0.02', confirmable = true): Buffer {
  const mid = nextMid++;
  return generate(
    { messageId: mid, token: Buffer.from([mid >> 8, mid & 255, 0xaa]), code, confirmable, options, payload },
    8192,
  );
}
const path = (...segs: string[]): NamedOption[] => segs.map((p) => ({ name: 'Uri-Path', value: Buffer.from(p) }));
const cf = (n: number): NamedOption => ({ name: 'Content-Format', value: Buffer.from([n]) });
const text = (p: ParsedPacket): string => `${p.code} ${p.payload.toString()}`;

t.test(
  "malformed requests: format errors rejected with a Reset, bad options answered 4.xx (not 5.00) with the request's message id and token",
  async (t) => {
    const { agent, port } = await coapAgent(t, { coap: { max_payload_bytes: 256 } });
    const s = await udp(t);

    // message format errors (RFC 7252 §3) are rejected with a Reset of the CON's message id (§4.2):
    // a Uri-Path "senml" cut short by the end of the datagram (coap-packet reads it as "se")
    const truncated = Buffer.from([0x41, 0x02, 0x30, 0x01, 0x07, 0xb5, 0x73, 0x65]);
    let r = await send(s, port, truncated);
    t.same([r.reset, r.code, r.messageId], [true, '0.00', 0x3001], 'an option past the end: RST');
    r = await send(s, port, Buffer.from([0x41, 0x02, 0x30, 0x02, 0x07, 0xb5, 0x73, 0x65, 0x6e, 0x6d, 0x6c, 0xff]));
    t.same([r.reset, r.messageId], [true, 0x3002], 'a payload marker without a payload: RST');

    r = await send(
      s,
      port,
      post([...path('senml', 'd1'), cf(110), { name: 'Block1', value: Buffer.from([0, 0, 0, 0x0e]) }]),
    );
    t.match(text(r), /^4\.02 EDGE_ERR_COAP_OPTION: option 27 of 4 bytes/, 'a 4-byte Block1: 4.02 (node-coap: 5.00)');
    r = await send(
      s,
      port,
      post([...path('senml', 'd1'), cf(110), { name: 'Block1', value: Buffer.alloc(0) }], Buffer.from('[]')),
    );
    t.match(
      text(r),
      /^4\.00 EDGE_ERR_SENML/,
      'an empty Block1 (block 0 of one, 16 bytes) is valid: the payload is judged (node-coap: 5.00)',
    );
    r = await send(s, port, post([...path('senml', 'd1'), cf(110), { name: 'If-Match', value: Buffer.from([1]) }]));
    t.match(
      text(r),
      /^4\.02 EDGE_ERR_COAP_OPTION: critical option 1 not supported/,
      'an unsupported critical option: 4.02 (node-coap ignored it)',
    );
    r = await send(s, port, post([...path('senml', 'd1'), cf(110), { name: 'OSCORE', value: Buffer.from([9]) }]));
    t.match(text(r), /^4\.02 .*option 9/);
    r = await send(
      s,
      port,
      post([...path('senml', 'd1'), { name: 'Content-Format', value: Buffer.from([0, 0, 110]) }]),
    );
    t.match(
      text(r),
      /^4\.15 EDGE_ERR_CONTENT_FORMAT: Content-Format of 3 bytes/,
      'a 3-byte Content-Format: 4.15 (node-coap took it for none)',
    );
    r = await send(
      s,
      port,
      post([...path('senml', 'd1'), cf(110), { name: 'Proxy-Uri', value: Buffer.from('coap://example.org/x') }]),
    );
    t.match(text(r), /^5\.05 EDGE_ERR_COAP_OPTION: the agent is no proxy/);
    r = await send(s, port, post([...path('senml', 'd1'), cf(110)], Buffer.alloc(300, 0x20)));
    t.match(
      [r.code, r.options.find((o) => o.name === 'Size1')?.value.readUInt16BE(0)],
      ['4.13', 256],
      'over coap.max_payload_bytes: 4.13 with Size1 (was 4.00)',
    );

    const fetch = post([...path('senml', 'd1')], Buffer.from('x'), '0.05');
    r = await send(s, port, fetch);
    t.same(
      [r.code, r.messageId, r.ack],
      ['4.05', fetch.readUInt16BE(2), true],
      'FETCH: 4.05 piggybacked with its message id (node-coap: 4.15 with a random one)',
    );
    t.match(
      text(await send(s, port, post(path('senml', 'd1'), Buffer.alloc(0), '0.01'))),
      /^4\.05 EDGE_ERR_COAP_METHOD: POST only/,
    );
    t.match(
      text(await send(s, port, post(path('senml', 'd1'), senml, '0.09'))),
      /^4\.05/,
      'an unknown method code: 4.05',
    );

    r = await send(
      s,
      port,
      post([...path('senml', 'dev-observe'), cf(110), { name: 'Observe', value: Buffer.alloc(0) }]),
    );
    t.equal(r.code, '2.04', 'Observe on a POST is ignored (node-coap: 5.00)');

    const non = post([...path('senml', 'd1'), cf(42)], senml, '0.02', false);
    r = await send(s, port, non);
    t.same(
      [r.code, r.confirmable, r.ack, r.token.equals(non.subarray(4, 7))],
      ['4.15', false, false, true],
      'a NON request gets a NON answer with its token',
    );

    // no token can be read: RST for a CON
    const tkl9 = Buffer.concat([
      Buffer.from([0x49, 0x02, 0x31, 0x00]),
      Buffer.alloc(9, 1),
      Buffer.from([0xb5]),
      Buffer.from('senml'),
    ]);
    r = await send(s, port, tkl9);
    t.same([r.reset, r.code], [true, '0.00'], 'token length 9: RST');
    r = await send(s, port, Buffer.from([0x40, 0x22, 0x31, 0x01])); // class 1 (reserved): LwM2M's dispatcher hands it to node-coap's Agent
    t.same([r.reset, r.code], [true, '0.00'], 'a reserved code class: RST');

    // a long path is refused with a short diagnostic: node-coap cut a ≥ 1 KiB answer into Block2 and kept it 247 s
    r = await send(
      s,
      port,
      post([
        ...Array.from({ length: 6 }, (_, i) => ({ name: 'Uri-Path' as const, value: Buffer.alloc(250, 97 + i) })),
        cf(110),
      ]),
    );
    t.equal(r.code, '4.04');
    t.ok(
      r.payload.length <= 200 &&
        r.payload.toString().startsWith('EDGE_ERR_COAP_NOT_FOUND: no uplink resource at /aaaa'),
      `diagnostic cut to ${r.payload.length} bytes`,
    );
    t.notOk(
      r.options.some((o) => o.name === 'Block2'),
      'no Block2',
    );
    const block2 = (agent.coap as unknown as { server: { _block2Cache: { _cache: Map<string, unknown> } } }).server
      ._block2Cache._cache;
    t.equal(block2.size, 0, "node-coap's Block2 cache stays empty");

    const c = agent.status().coap;
    t.same(
      c.rejectedBy,
      {
        EDGE_ERR_COAP_MALFORMED: 3,
        EDGE_ERR_COAP_OPTION: 4,
        EDGE_ERR_SENML: 1,
        EDGE_ERR_CONTENT_FORMAT: 2,
        EDGE_ERR_COAP_TOO_LARGE: 1,
        EDGE_ERR_COAP_METHOD: 3,
        EDGE_ERR_COAP_NOT_FOUND: 1,
      },
      'every refusal counted by code',
    );
    t.equal(c.rejected, 15);
    t.equal(agent.status().store.rows, 1, 'only the Observe POST stored');
  },
);

t.test(
  'with LwM2M off, unparseable datagrams and pings reach the uplink server: RST for a CON, nothing for the rest',
  async (t) => {
    const { agent, port } = await coapAgent(t, { lwm2m: { enabled: false } });
    const s = await udp(t);
    let r = await send(s, port, Buffer.from([0x40, 0x00, 0x32, 0x01]));
    t.same([r.reset, r.messageId], [true, 0x3201], 'ping: RST');
    r = await send(s, port, Buffer.from([0x41, 0x02, 0x32, 0x02, 0x07, 0xf0]));
    t.same([r.reset, r.messageId], [true, 0x3202], 'option delta 15: RST (node-coap: 5.00 via its parser)');
    s.send(Buffer.from([0x41, 0x02]), port, '127.0.0.1'); // shorter than a header
    s.send(Buffer.from([0x81, 0x02, 0x32, 0x03, 0x07]), port, '127.0.0.1'); // version 2
    s.send(Buffer.from([0x51, 0x02, 0x32, 0x04, 0x07, 0xf0]), port, '127.0.0.1'); // a NON with delta 15: nothing (§4.3)
    r = await send(s, port, post([...path('senml', 'd1'), cf(110)]));
    t.equal(r.code, '2.04', 'a good request after them');
    t.same(s.got, [], 'the short, the version-2 and the NON datagrams got nothing');
    t.equal(agent.status().coap.rejectedBy.EDGE_ERR_COAP_MALFORMED, 4);
  },
);

t.test('a flood of bad datagrams costs ten log lines and one summary, every one counted', async (t) => {
  // stopped by the test itself (the summary line comes at stop), so no coapAgent teardown
  const { agent, logs } = await startEdge(edgeConfig(tempDir(), 'gw-t', 's', 'mqtt://127.0.0.1:9'));
  const port = agent.coap.port;
  const s = await udp(t);
  for (let i = 0; i < 300; i++) {
    s.send(Buffer.from([0x41, 0x02, i >> 8, i & 0xff, 0x07, 0xb5, 0x73, 0x65]), port, '127.0.0.1');
    if (i % 50 === 49) await until('answers', () => s.got.length === i + 1, 10_000, 2);
  }
  await until('all answered', () => s.got.length === 300, 10_000, 5);
  t.ok(
    s.got.every((p) => p.reset),
    'each one answered with a Reset',
  );
  const c = agent.status().coap;
  t.equal(c.rejectedBy.EDGE_ERR_COAP_MALFORMED, 300, 'counted');
  t.equal(c.logSuppressed, 290, 'lines left out counted');
  t.equal(logs.withCode('EDGE_ERR_COAP_MALFORMED').length, 10, 'ten lines logged');
  const metrics = await new EdgeMetrics(() => agent.status()).render();
  t.match(metrics, /^yiwang_edge_coap_refused_total\{code="EDGE_ERR_COAP_MALFORMED"\} 300$/m);
  t.match(metrics, /^yiwang_edge_coap_log_suppressed_total 290$/m);
  await agent.stop();
  const summary = logs.lines.filter(
    (l) => (l.suppressed as Record<string, number> | undefined)?.EDGE_ERR_COAP_MALFORMED !== undefined,
  );
  t.equal(summary.length, 1, 'one summary line');
  t.match(summary[0], {
    suppressed: { EDGE_ERR_COAP_MALFORMED: 290 },
    msg: /coap requests refused: 290 similar lines suppressed/,
  });
});

t.test("5.xx is the agent's own: an exception in a decoder answers 5.00 and logs an error", async (t) => {
  const logs = captureLog();
  const server = new CoapUplinkServer({
    host: '127.0.0.1',
    port: 0,
    exchangeCacheBytes: 16_384,
    maxPayloadBytes: 1024,
    log: logs.log,
    sink: { accept: async () => 'stored' },
    rawProfiles: () => {
      throw new TypeError('a bug in a decoder');
    },
  });
  await server.start();
  t.teardown(() => server.stop());
  const s = await udp(t);
  const r = await send(s, server.port, post([...path('raw', 'vendor-x', 'dev-1'), cf(42)], Buffer.from([1, 2, 3])));
  t.match(text(r), /^5\.00 EDGE_ERR_COAP_INTERNAL: a bug in a decoder/);
  t.equal(logs.withCode('EDGE_ERR_COAP_INTERNAL').filter((l) => l.level === 50).length, 1, 'logged as an error');
  t.equal(server.counters.rejected, 0, "not counted as the device's fault");
  t.equal(server.counters.rejectedBy.EDGE_ERR_COAP_INTERNAL, 1);
});
