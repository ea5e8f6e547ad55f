/**
 * A second DTLS client implementation against the agent's coaps (issue 21): node-dtls-client (its
 * own record layer and handshake, in JavaScript; no Connection ID) posts CoAP uplinks with
 * TLS_PSK_WITH_AES_128_CCM_8 and TLS_PSK_WITH_AES_128_GCM_SHA256 and gets the durable 2.04; a
 * wrong key fails its handshake and leaves no session. Through a NAT-like relay that moves the
 * client to a new source port mid-session (what carrier NAT does to a sleeping NB-IoT device),
 * the session does not follow without CID: the record from the new port is dropped (counted
 * noSession) and the device must handshake again, which then works. (With CID the session does
 * follow: agent-cid.test.ts, with the in-process client.)
 */
import t, { type Test } from 'tap';
import { createSocket, type Socket } from 'node:dgram';
import ndc from 'node-dtls-client';
import { generate, parse } from 'coap-packet';
import { silentLogger } from '../../../../common/log.js';
import { EdgeAgent } from '../../../../edge/agent.js';
import { MemoryPskDirectory } from '../../../../edge/southbound/dtls/psk-directory.js';
import { edgeConfig, tempDir } from '../../../helpers/fleet.js';

type DtlsSocket = ReturnType<typeof ndc.dtls.createSocket>;
const KEY = 'psk-of-device-a1';

async function startAgent(t: Test): Promise<EdgeAgent> {
  const agent = await EdgeAgent.start(
    edgeConfig(tempDir('yw-ndc-'), 'gw-ndc', 'gw-ndc-secret', 'mqtt://127.0.0.1:9', {
      coap: { dtls_enabled: true, dtls_port: 0 },
    }),
    silentLogger(),
    undefined,
    { pskDirectory: new MemoryPskDirectory([{ identity: 'id-a', deviceId: 'dev-a', key: Buffer.from(KEY) }]) },
  );
  t.teardown(() => agent.stop());
  return agent;
}

/** Connects; resolves with the socket, rejects on an error before 'connected'. */
function connect(port: number, key: string, cipher: string): Promise<DtlsSocket> {
  return new Promise((resolve, reject) => {
    const s = ndc.dtls.createSocket({
      type: 'udp4',
      address: '127.0.0.1',
      port,
      psk: { 'id-a': key },
      timeout: 1000,
      ciphers: [cipher],
    } as Parameters<typeof ndc.dtls.createSocket>[0]);
    s.on('connected', () => resolve(s));
    s.on('error', (e: Error) => reject(e));
  });
}

let mid = 0x4100;
/** A CON SenML POST for dev-a; resolves with the CoAP answer, or undefined after `ms`. */
function post(s: DtlsSocket, value: number, ms = 3000): Promise<string | undefined> {
  const messageId = mid++;
  const body = JSON.stringify([{ n: 'temperature', u: 'Cel', v: value, t: 1_700_000_000 + value }]);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      s.removeListener('message', onMessage);
      resolve(undefined);
    }, ms);
    const onMessage = (m: Buffer): void => {
      const p = parse(m);
      if (p.messageId !== messageId) return;
      clearTimeout(timer);
      s.removeListener('message', onMessage);
      resolve(p.code);
    };
    s.on('message', onMessage);
    s.send(
      generate({
        confirmable: true,
        messageId,
        token: Buffer.of(1, messageId & 255),
        code: '0.02',
        options: [
          { name: 'Uri-Path', value: Buffer.from('senml') },
          { name: 'Uri-Path', value: Buffer.from('dev-a') },
          { name: 'Content-Format', value: Buffer.of(110) },
        ],
        payload: Buffer.from(body),
      }),
    );
  });
}

const close = (s: DtlsSocket): Promise<void> => new Promise((r) => s.close(() => r()));

for (const cipher of ['TLS_PSK_WITH_AES_128_CCM_8', 'TLS_PSK_WITH_AES_128_GCM_SHA256']) {
  t.test(`node-dtls-client (${cipher}): uplinks are stored and answered 2.04`, async (t) => {
    const agent = await startAgent(t);
    const s = await connect(agent.coaps!.adapter!.listener.port, KEY, cipher);
    t.equal(await post(s, 1), '2.04', 'first uplink');
    t.equal(await post(s, 2), '2.04', 'second uplink on the same session');
    t.equal(agent.status().store.rows, 2, 'both stored');
    t.equal(agent.status().coaps?.handshakesCompleted, 1, 'one handshake');
    await close(s);
  });
}

t.test('node-dtls-client with a wrong key: the handshake fails, no session is left', async (t) => {
  const agent = await startAgent(t);
  await t.rejects(connect(agent.coaps!.adapter!.listener.port, 'not-the-right-key', 'TLS_PSK_WITH_AES_128_CCM_8'));
  const st = agent.status().coaps!;
  t.equal(st.sessions, 0, 'no session');
  t.equal(st.handshakesCompleted, 0);
  t.ok(st.handshakesFailed >= 1, 'the failure is counted');
});

/** A UDP relay between a client and the server whose outgoing source port can be changed (NAT rebinding). */
class NatRelay {
  private outbound!: Socket;
  private client: { address: string; port: number } | undefined;
  private constructor(
    readonly inbound: Socket,
    serverPort: number,
  ) {
    inbound.on('message', (m, r) => {
      this.client = { address: r.address, port: r.port };
      this.outbound.send(m, serverPort, '127.0.0.1');
    });
  }

  static async open(t: Test, serverPort: number): Promise<NatRelay> {
    const inbound = createSocket('udp4');
    await new Promise<void>((r) => inbound.bind(0, '127.0.0.1', () => r()));
    const relay = new NatRelay(inbound, serverPort);
    await relay.rebind();
    t.teardown(() => {
      inbound.close();
      relay.outbound.close();
    });
    return relay;
  }

  get port(): number {
    return this.inbound.address().port;
  }

  get outboundPort(): number {
    return this.outbound.address().port;
  }

  /** A new outgoing socket (a new source port the server sees); the old one is closed. */
  async rebind(): Promise<void> {
    const old = this.outbound as Socket | undefined;
    const s = createSocket('udp4');
    await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
    s.on('message', (m) => {
      if (this.client) this.inbound.send(m, this.client.port, this.client.address);
    });
    this.outbound = s;
    old?.close();
  }
}

t.test('NAT rebinding without CID: the session does not follow; a new handshake does', async (t) => {
  const agent = await startAgent(t);
  const relay = await NatRelay.open(t, agent.coaps!.adapter!.listener.port);
  const s = await connect(relay.port, KEY, 'TLS_PSK_WITH_AES_128_CCM_8');
  t.equal(await post(s, 1), '2.04', 'an uplink through the relay');
  const before = relay.outboundPort;
  await relay.rebind();
  t.not(relay.outboundPort, before, 'the server now sees the device at a new port');
  const dropped = agent.status().coaps!.recordsDropped.noSession;
  t.equal(await post(s, 2, 1500), undefined, 'no answer: the record from the new port has no session');
  t.ok(agent.status().coaps!.recordsDropped.noSession > dropped, 'dropped and counted (noSession)');
  t.equal(agent.status().store.rows, 1, 'nothing stored from it');
  await close(s);
  const again = await connect(relay.port, KEY, 'TLS_PSK_WITH_AES_128_CCM_8');
  t.equal(await post(again, 3), '2.04', 'after a new handshake from the new port the uplink goes in');
  t.equal(agent.status().coaps?.handshakesCompleted, 2, 'two handshakes in all');
  t.equal(agent.status().store.rows, 2);
  await close(again);
});
