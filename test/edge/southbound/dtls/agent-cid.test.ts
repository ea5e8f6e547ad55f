/**
 * Connection ID through the whole agent (issue 21): an in-process DTLS client (scripts/harness/dtls-mini-client.ts,
 * no installed client speaks RFC 9146) posts a CoAP uplink, changes its source port keeping its
 * CID and posts again: both readings are stored, no second handshake, the retransmission of a CON
 * is answered again but stored once; its LwM2M registration stays the same across the move (the
 * virtual peer the CoAP side sees does not change).
 */
import t from 'tap';
import { generate, parse, type ParsedPacket } from 'coap-packet';
import { silentLogger } from '../../../../common/log.js';
import { EdgeAgent } from '../../../../edge/agent.js';
import { EdgeMetrics } from '../../../../edge/api/metrics.js';
import { isVirtualAddress } from '../../../../edge/southbound/dtls/coaps-listener.js';
import { MemoryPskDirectory } from '../../../../edge/southbound/dtls/psk-directory.js';
import { edgeConfig, tempDir } from '../../../helpers/fleet.js';
import { until } from '../../../helpers/wait.js';
import { type MiniSession, miniHandshake } from '../../../../scripts/harness/dtls-mini-client.js';

const KEY = Buffer.from('secret-key-of-a');

/** Sends one CoAP message over the session from `from` and resolves with the first answer. */
async function exchange(
  c: MiniSession,
  from: { address: string; port: number },
  packet: Parameters<typeof generate>[0],
): Promise<ParsedPacket> {
  c.drain();
  c.send(c.record(generate(packet)), from);
  let got: Buffer[] = [];
  await until(
    'an answer over DTLS',
    () => {
      got = got.concat(c.drain());
      return got.length > 0;
    },
    5000,
  );
  return parse(got[0]!);
}

const uplink = (messageId: number, token: string, value: number) => ({
  confirmable: true,
  messageId,
  token: Buffer.from(token),
  code: 'POST',
  options: [
    { name: 'Uri-Path' as const, value: Buffer.from('senml') },
    { name: 'Uri-Path' as const, value: Buffer.from('dev-a') },
    { name: 'Content-Format' as const, value: Buffer.of(110) },
  ],
  payload: Buffer.from(`[{"n":"temperature","u":"Cel","v":${value},"t":${1_700_000_000 + value}}]`),
});

t.test('a CID session continues from a new port through the agent: uplinks and LwM2M', async (t) => {
  const agent = await EdgeAgent.start(
    edgeConfig(tempDir('yw-coaps-cid-'), 'gw-cid', 'gw-cid-secret', 'mqtt://127.0.0.1:9', {
      coap: { dtls_enabled: true, dtls_port: 0 },
    }),
    silentLogger(),
    undefined,
    { pskDirectory: new MemoryPskDirectory([{ identity: 'id-a', deviceId: 'dev-a', key: KEY }]) },
  );
  t.teardown(() => agent.stop());
  const listener = agent.coaps!.adapter!.listener;
  const first = { address: '198.51.100.7', port: 40_000 };
  const c = miniHandshake(listener.dtlsServer, first, 'id-a', KEY, { cid: true });
  t.ok(c.serverCid?.length, 'a CID was negotiated');

  const a1 = await exchange(c, first, uplink(1, 'tok1', 1));
  t.equal(a1.code, '2.04', 'first uplink answered 2.04');
  t.ok(a1.ack && a1.messageId === 1, 'piggybacked on the ACK of the CON');
  t.equal(agent.status().store.rows, 1, 'stored before the answer');

  const moved = { address: '198.51.100.7', port: 40_001 };
  const a2 = await exchange(c, moved, uplink(2, 'tok2', 2));
  t.equal(a2.code, '2.04', 'the uplink from the new port is answered there');
  t.equal(agent.status().store.rows, 2, 'both readings stored');
  const again = await exchange(c, moved, uplink(2, 'tok2', 2));
  t.equal(again.code, '2.04', 'a retransmitted CON is answered again');
  t.equal(agent.status().store.rows, 2, 'and stored once');

  // LwM2M: Register, move, Update: the same registration, its peer unchanged
  const reg = await exchange(c, moved, {
    confirmable: true,
    messageId: 3,
    token: Buffer.from('reg1'),
    code: 'POST',
    options: [
      { name: 'Uri-Path', value: Buffer.from('rd') },
      { name: 'Content-Format', value: Buffer.of(40) },
      { name: 'Uri-Query', value: Buffer.from('ep=dev-a') },
      { name: 'Uri-Query', value: Buffer.from('lt=300') },
      { name: 'Uri-Query', value: Buffer.from('lwm2m=1.1') },
      { name: 'Uri-Query', value: Buffer.from('b=UQ') },
    ],
    payload: Buffer.from('</1/0>,</3/0>'),
  });
  t.equal(reg.code, '2.01', 'registered over DTLS');
  const before = agent.lwm2m!.device('dev-a')!;
  t.ok(isVirtualAddress(before.peer.address), `registered from the session's virtual peer (${before.peer.address})`);
  const location = reg.options.filter((o) => o.name === 'Location-Path').map((o) => o.value.toString());
  t.equal(location[0], 'rd');
  const third = { address: '198.51.100.8', port: 50_000 };
  const upd = await exchange(c, third, {
    confirmable: true,
    messageId: 4,
    token: Buffer.from('upd1'),
    code: 'POST',
    options: location.map((p) => ({ name: 'Uri-Path' as const, value: Buffer.from(p) })),
  });
  t.equal(upd.code, '2.04', 'Update from yet another address (same CID) accepted');
  const after = agent.lwm2m!.device('dev-a')!;
  t.equal(after.regId, before.regId, 'the same registration');
  t.same(after.peer, before.peer, 'its peer did not change');

  // a server-initiated Read goes to the virtual peer, encrypted to the device's current address
  c.drain();
  const read = await agent.lwm2m!.submit('dev-a', { op: 'read', path: '/3/0/0' });
  let requests: ParsedPacket[] = [];
  await until(
    'the Read reaches the device over DTLS',
    () => {
      requests = requests.concat(c.drain().map((d) => parse(d)));
      return requests.length > 0;
    },
    5000,
  );
  const get = requests[0]!;
  t.equal(get.code, '0.01', 'a GET');
  t.same(
    get.options.filter((o) => o.name === 'Uri-Path').map((o) => o.value.toString()),
    ['3', '0', '0'],
    'of /3/0/0',
  );
  c.send(
    c.record(
      generate({
        ack: true,
        messageId: get.messageId,
        token: get.token,
        code: '2.05',
        options: [{ name: 'Content-Format', value: Buffer.alloc(0) }],
        payload: Buffer.from('Acme'),
      }),
    ),
    third,
  );
  const result = await read.result;
  t.ok(result.ok, `the Read succeeded (${JSON.stringify(result.error ?? result.coapCode)})`);
  t.equal(result.coapCode, '2.05');

  const s = agent.status().coaps!;
  t.equal(s.handshakesStarted, 1, 'no second handshake');
  t.equal(s.addressMoves, 2, 'two address moves');
  t.equal(s.sessions, 1, 'one session');
  t.equal(s.sendDropped, 0, 'every answer found its session');
  const metrics = await new EdgeMetrics(() => agent.status()).render();
  t.match(metrics, /^yiwang_edge_dtls_handshakes_total\{outcome="completed"\} 1$/m, 'handshakes in the metrics');
  t.match(metrics, /^yiwang_edge_dtls_address_moves_total 2$/m, 'address moves in the metrics');
  t.match(metrics, /^yiwang_edge_dtls_sessions 1$/m, 'sessions gauge');
});
