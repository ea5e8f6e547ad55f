/**
 * The Aedes broker with gateway authentication, the topic ACL and ingest on the publish path.
 * Aedes 1.2 writes PUBACK right after authorizePublish calls back, so a batch's PUBACK leaves only
 * after its durable write; the BatchAck on down/ack carries the result (STORED, DUPLICATE, REJECTED).
 */
import { createServer, type Server, type AddressInfo } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { Aedes, type Client, type AuthenticateError, type Subscription } from 'aedes';
import type { Logger } from '../../common/log.js';
import { GATEWAY_ID_RE, PROV_SESSION_RE, PROV_USERNAME, parseGatewayTopic, topics } from '../../proto/topics.js';
import { pb, type Health } from '../../proto/index.js';
import type { CloudStore } from '../store/store.js';
import type { BatchIngest } from '../ingest/ingest.js';
import { verifySecret } from '../registry/secrets.js';
import { mayProvPublish, mayProvSubscribe, mayPublish, maySubscribe } from './acl.js';
import { indexRetained, type RetainedPersistence } from './retained-index.js';
import '../errors.js';

/** Where session and Health signals go (cloud/health/health-service.ts). */
export interface HealthHooks {
  sessionUp(gatewayId: string): Promise<void>;
  sessionDown(gatewayId: string): Promise<void>;
  health(gatewayId: string, h: Health): Promise<void>;
}

/** Provisioning and configuration (cloud/provisioning, cloud/rollout). */
export interface FleetHooks {
  /** Answers a ClaimRequest of a provisioning session with an encoded ClaimResponse. */
  claim(sessionId: string, payload: Buffer): Promise<Buffer>;
  isRevoked(gatewayId: string): Promise<boolean>;
  /** A ConfigStatus from a gateway. */
  configStatus(gatewayId: string, payload: Buffer): Promise<void>;
  /** A gateway session is up (deliver its desired config). */
  gatewayReady(gatewayId: string): void;
}

export interface TlsListener { host: string; port: number; cert: string; key: string }

export interface BrokerOptions {
  host: string; port: number; store: CloudStore; ingest: BatchIngest; log: Logger; health?: HealthHooks; fleet?: FleetHooks;
  /** MQTT over TLS (server certificate from the fleet CA). */
  tls?: TlsListener;
  /** Provisioning sessions are closed after this long (ms). */
  provSessionMs?: number;
}

function authError(message: string, returnCode: 4 | 5 | 2): AuthenticateError {
  return Object.assign(new Error(message), { returnCode }) as AuthenticateError;
}

export class CloudBroker {
  readonly aedes: Aedes;
  private server: Server | undefined;
  private tlsServer: Server | undefined;
  /** The gateway id each authenticated connection proved. */
  private readonly identity = new WeakMap<Client, string>();
  /** Provisioning sessions (client id `prov-…`, username `$claim`) and whether they claimed already. */
  private readonly prov = new WeakMap<Client, { claimed: boolean }>();
  private readonly log: Logger;
  counters = { authFailures: 0, aclDenied: 0, health: 0, claims: 0, revokedRefused: 0 };

  private constructor(private readonly o: BrokerOptions, aedes: Aedes) {
    this.aedes = aedes;
    this.log = o.log.child({ component: 'broker' });
  }

  static async start(o: BrokerOptions): Promise<CloudBroker> {
    let self: CloudBroker | undefined;
    const aedes = await Aedes.createBroker({
      authenticate: (client, username, password, done) => self!.authenticate(client, username, password, done),
      authorizePublish: (client, packet, cb) => self!.authorizePublish(client, packet, cb),
      authorizeSubscribe: (client, sub, cb) => self!.authorizeSubscribe(client, sub, cb),
    });
    self = new CloudBroker(o, aedes);
    // one retained Presence per gateway: subscriptions must not scan them all (cloud/broker/retained-index.ts)
    indexRetained((aedes as unknown as { persistence: RetainedPersistence }).persistence);
    aedes.on('clientReady', (c) => {
      const id = self!.identity.get(c);
      if (id) { self!.markOnline(id, true); void o.health?.sessionUp(id); o.fleet?.gatewayReady(id); }
      if (self!.prov.has(c)) setTimeout(() => { if (!c.closed) c.close(); }, o.provSessionMs ?? 30_000).unref();
    });
    aedes.on('clientDisconnect', (c) => { const id = self!.identity.get(c); if (id) { self!.markOnline(id, false); void o.health?.sessionDown(id); } });
    aedes.on('clientError', (c, err) => self!.log.debug({ clientId: c.id, err: err.message }, 'client error'));
    const server = createServer(aedes.handle);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(o.port, o.host, () => resolve());
    });
    self.server = server;
    self.log.info({ port: self.port, host: o.host }, 'mqtt listener up');
    if (o.tls) {
      const t = o.tls;
      const tlsServer = createTlsServer({ cert: t.cert, key: t.key, minVersion: 'TLSv1.2' }, aedes.handle);
      tlsServer.on('tlsClientError', (err) => self!.log.debug({ err: err.message }, 'tls handshake failed'));
      try {
        await new Promise<void>((resolve, reject) => {
          tlsServer.once('error', reject);
          tlsServer.listen(t.port, t.host, () => resolve());
        });
      } catch (err) {
        await self.stop();
        throw err;
      }
      self.tlsServer = tlsServer;
      self.log.info({ port: self.tlsPort, host: t.host }, 'mqtt tls listener up');
    }
    return self;
  }

  get tlsPort(): number {
    return (this.tlsServer?.address() as AddressInfo | null)?.port ?? 0;
  }

  /** Closes the session of a gateway (revocation); true when one was connected here. */
  disconnect(gatewayId: string): boolean {
    const c = (this.aedes as unknown as { clients: Record<string, Client | undefined> }).clients[gatewayId];
    if (!c || this.identity.get(c) !== gatewayId) return false;
    c.close();
    return true;
  }

  get port(): number {
    return (this.server?.address() as AddressInfo | null)?.port ?? 0;
  }

  /**
   * The registry's online / last seen. With a health service it is written by the health flush
   * (one transaction per window for the whole fleet) instead of one durable write per message.
   */
  private markOnline(id: string, online: boolean): void {
    if (!this.o.health) void this.o.store.setGatewayOnline(id, online, Date.now());
  }

  private authenticate(client: Client, username: string | undefined, password: Buffer | undefined, done: (e: AuthenticateError | null, ok: boolean | null) => void): void {
    const fail = (code: string, reason: string, rc: 4 | 5 | 2): void => {
      this.counters.authFailures++;
      this.log.warn({ code, clientId: client.id, username, reason }, 'connection refused');
      done(authError(reason, rc), null);
    };
    if (username === PROV_USERNAME && this.o.fleet) {
      // the provisioning namespace: the token is proved in the ClaimRequest; the session reaches nothing else
      if (!PROV_SESSION_RE.test(client.id)) return fail('CLOUD_ERR_CLIENT_ID', `provisioning client id ${client.id} must be prov-<16..64 letters or digits>`, 2);
      this.prov.set(client, { claimed: false });
      return done(null, true);
    }
    if (!username || !GATEWAY_ID_RE.test(username) || !password) return fail('CLOUD_ERR_AUTH_FAILED', 'missing or malformed credentials', 4);
    if (client.id !== username) return fail('CLOUD_ERR_CLIENT_ID', `client id ${client.id} is not the gateway id`, 2);
    Promise.all([this.o.store.gatewaySecretHash(username), this.o.fleet?.isRevoked(username) ?? false])
      .then(async ([hash, revoked]) => (revoked ? 'revoked' : hash ? verifySecret(password.toString('utf8'), hash) : false))
      .then((ok) => {
        if (ok === 'revoked') { this.counters.revokedRefused++; return fail('CLOUD_ERR_GATEWAY_REVOKED', 'gateway credentials revoked', 4); }
        if (!ok) return fail('CLOUD_ERR_AUTH_FAILED', 'unknown gateway or wrong secret', 4);
        this.identity.set(client, username);
        done(null, true);
      }, (err: Error) => fail('CLOUD_ERR_STORE', err.message, 4));
  }

  private authorizePublish(client: Client | null, packet: { topic: string; payload: Buffer | string; retain: boolean }, cb: (e?: Error | null) => void): void {
    if (!client) return cb(null);
    const session = this.prov.get(client);
    if (session) return this.provPublish(client, session, packet, cb);
    const gw = this.identity.get(client);
    if (!gw || !mayPublish(gw, packet.topic, packet.retain)) {
      this.counters.aclDenied++;
      this.log.warn({ code: 'CLOUD_ERR_ACL_DENIED', gatewayId: gw, topic: packet.topic, retain: packet.retain }, 'publish denied; disconnecting');
      return cb(new Error(`publish to ${packet.topic} not allowed`));
    }
    const kind = parseGatewayTopic(packet.topic)?.kind;
    const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
    if (kind === 'batch') {
      void this.o.ingest.handle(gw, payload).then((ack) => {
        cb(null); // PUBACK now means: stored (or rejected for good)
        if (ack) this.aedes.publish({ cmd: 'publish', topic: topics.down(gw, 'ack'), payload: Buffer.from(ack), qos: 1, retain: false, dup: false }, () => {});
      });
      return;
    }
    if (kind === 'config-status' && this.o.fleet) {
      void this.o.fleet.configStatus(gw, payload).then(() => cb(null), () => cb(null));
      return;
    }
    if (kind === 'health') {
      try {
        const h = pb.Health.decode(payload);
        this.counters.health++;
        this.markOnline(gw, true);
        void this.o.health?.health(gw, h);
      } catch (err) {
        this.log.warn({ code: 'WIRE_ERR_DECODE', gatewayId: gw, err: (err as Error).message }, 'undecodable health message dropped');
      }
    }
    if (packet.topic === topics.state(gw)) {
      // the retained Presence, and the will (Aedes authorizes it when it fires): online=false means gone
      try {
        if (!pb.Presence.decode(payload).online) void this.o.health?.sessionDown(gw);
      } catch (err) {
        this.log.warn({ code: 'WIRE_ERR_DECODE', gatewayId: gw, err: (err as Error).message }, 'undecodable presence');
      }
    }
    cb(null);
  }

  /** One ClaimRequest per provisioning session, answered on its response topic. */
  private provPublish(client: Client, session: { claimed: boolean }, packet: { topic: string; payload: Buffer | string; retain: boolean }, cb: (e?: Error | null) => void): void {
    if (session.claimed || !mayProvPublish(client.id, packet.topic, packet.retain)) {
      this.counters.aclDenied++;
      this.log.warn({ code: 'CLOUD_ERR_ACL_DENIED', clientId: client.id, topic: packet.topic }, 'provisioning session published outside its request topic; disconnecting');
      return cb(new Error('not allowed'));
    }
    session.claimed = true;
    this.counters.claims++;
    const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
    void this.o.fleet!.claim(client.id, payload).then((res) => {
      cb(null);
      this.aedes.publish({ cmd: 'publish', topic: topics.provResponse(client.id), payload: res, qos: 1, retain: false, dup: false }, () => {});
    });
  }

  private authorizeSubscribe(client: Client, sub: Subscription, cb: (e: Error | null, s?: Subscription | null) => void): void {
    const gw = this.identity.get(client);
    if (gw && maySubscribe(gw, sub.topic)) return cb(null, sub);
    if (this.prov.has(client) && mayProvSubscribe(client.id, sub.topic)) return cb(null, sub);
    this.counters.aclDenied++;
    this.log.warn({ code: 'CLOUD_ERR_ACL_DENIED', gatewayId: gw, filter: sub.topic }, 'subscription refused');
    cb(null, null); // SUBACK 0x80 for this filter; the connection stays
  }

  async stop(): Promise<void> {
    const s = this.server, t = this.tlsServer;
    this.server = undefined;
    this.tlsServer = undefined;
    await new Promise<void>((resolve) => this.aedes.close(() => resolve()));
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
    if (t) await new Promise<void>((resolve) => t.close(() => resolve()));
  }
}
