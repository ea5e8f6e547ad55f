/**
 * The Aedes broker with gateway authentication, the topic ACL and ingest on the publish path.
 * Aedes 1.2 writes PUBACK right after authorizePublish calls back, so a batch's PUBACK leaves only
 * after its durable write; the BatchAck on down/ack carries the result (STORED, DUPLICATE, REJECTED).
 * Connections pass the gate first (cloud/broker/connection-gate.ts: unauthenticated connections,
 * connect timeout, packet sizes before and after CONNECT); a CONNECT is checked against
 * cloud/broker/connect-policy.ts (clean sessions only, wills on the own state topic only).
 * With cluster.redis_url several nodes share Aedes' message queue and persistence through Redis
 * (cloud/broker/cluster-backends.ts): a downlink published on one node reaches the gateway on
 * another, and a gateway that connects to another node takes its session over (the old node
 * closes its connection without publishing the will and without reporting the session down).
 */
import { createServer, type Server, type AddressInfo, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { Aedes, type Client, type AuthenticateError, type ConnectPacket, type Subscription } from 'aedes';
import type { Logger } from '../../common/log.js';
import { GATEWAY_ID_RE, PROV_SESSION_RE, PROV_USERNAME, parseGatewayTopic, topics } from '../../proto/topics.js';
import { pb, type Health } from '../../proto/index.js';
import type { CloudStore } from '../store/cloud-store.js';
import type { BatchIngest } from '../ingest/ingest.js';
import { verifySecret } from '../registry/secrets.js';
import { mayProvPublish, mayProvSubscribe, mayPublish, maySubscribe, maySubscribeTopic } from './acl.js';
import { indexRetained } from './retained-index.js';
import { connectedClient, onBrokerError, retainedPersistenceOf, suppressWill } from './aedes-internals.js';
import {
  createClusterBackends,
  newClusterCounters,
  type ClusterBackends,
  type ClusterMq,
  type ClusterOptions,
} from './cluster-backends.js';
import {
  ConnectionGate,
  DEFAULT_BROKER_LIMITS,
  newGateCounters,
  type BrokerLimits,
  type PeerWarn,
} from './connection-gate.js';
import {
  gatewayConnectRefusal,
  MAX_STATE_BYTES,
  provConnectRefusal,
  type ConnectFacts,
  type ConnectRefusal,
  type WillFacts,
} from './connect-policy.js';
import { LogLimiter } from '../../common/log-limiter.js';
import { PEER_LOG_BUDGET } from './rate-limit.js';

/** Where session and Health signals go (cloud/health/health-service.ts). */
export interface HealthHooks {
  sessionUp(gatewayId: string): Promise<void>;
  sessionDown(gatewayId: string): Promise<void>;
  health(gatewayId: string, h: Health): Promise<void>;
  /** The gateway's status as this node knows it (shared store: refreshed from the other nodes). */
  gateway?(gatewayId: string): { sessionUp: boolean; status: string } | undefined;
}

/** Provisioning and configuration (cloud/provisioning, cloud/rollout). */
export interface ControlPlaneHooks {
  /** Answers a ClaimRequest of a provisioning session (from client address `source`) with an encoded ClaimResponse. */
  claim(sessionId: string, payload: Buffer, source: string): Promise<Buffer>;
  isRevoked(gatewayId: string): Promise<boolean>;
  /** A ConfigStatus from a gateway. */
  configStatus(gatewayId: string, payload: Buffer): Promise<void>;
  /** A gateway session is up (deliver its desired config). */
  gatewayReady(gatewayId: string): void;
}

export interface TlsListener {
  host: string;
  port: number;
  cert: string;
  key: string;
}

export interface BrokerOptions {
  host: string;
  port: number;
  store: CloudStore;
  ingest: BatchIngest;
  log: Logger;
  health?: HealthHooks;
  controlPlane?: ControlPlaneHooks;
  /** MQTT over TLS (server certificate from the fleet CA). */
  tls?: TlsListener;
  /** Provisioning sessions are closed after this long (ms). */
  provSessionMs?: number;
  /** Connection and packet limits (mqtt.* options); DEFAULT_BROKER_LIMITS for what is left out. */
  limits?: Partial<BrokerLimits>;
  /** Several nodes sharing Redis (cluster.* options); absent or redisUrl '' = a single node, in memory. */
  cluster?: ClusterOptions;
}

/** Packets Aedes queues between CONNECT and CONNACK (they are within max_connect_bytes each). */
const QUEUE_LIMIT = 16;
/** Longest client id accepted (a gateway id: 64; a provisioning session: prov- and 64); Aedes checks it for MQTT 3.1 clients. */
const MAX_CLIENT_ID_LENGTH = 69;

/** Counters of the broker, in /api/v1/stats under `broker`. */
export function newBrokerCounters() {
  return {
    authFailures: 0,
    aclDenied: 0,
    health: 0,
    claims: 0,
    revokedRefused: 0,
    ...newGateCounters(),
    willRefused: 0,
    persistentSessionRefused: 0,
    clientIdInUse: 0,
    connectQueueFull: 0,
    logSuppressed: 0,
    /** Errors Aedes reported on its own (a persistence that failed: Redis lost). */
    brokerErrors: 0,
    /** Sessions closed here because the gateway connected to another node. */
    sessionsTakenOver: 0,
    /** Session and health state the store failed to take (database down); the next message or sweep corrects it. */
    storeErrors: 0,
    /** Wills of a dead node fired here for gateways that are back (delivered unretained, no session end). */
    staleWillsIgnored: 0,
    ...newClusterCounters(),
  };
}

/**
 * CONNACK return codes of refused connects (MQTT 3.1.1 has no reason strings): 2 client id or
 * session refused, 3 the cloud could not check the credentials (retry later), 4 unknown gateway
 * or wrong secret, 5 not authorized: for a gateway whose secret is right, revoked by an operator
 * (the only other 5 is a will the edge agent never sets: connect-policy.ts).
 */
type RefusalCode = 2 | 3 | 4 | 5;

function authError(message: string, returnCode: RefusalCode): AuthenticateError {
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
  /** Provisioning session ids in use on this node (from authentication to the end of the connection). */
  private readonly provIds = new Map<string, Client>();
  /** The will and clean flag each CONNECT asked for (Aedes keeps the will private until it fires). */
  private readonly connects = new WeakMap<Client, ConnectFacts>();
  private readonly log: Logger;
  /** Warn lines about what peers did wrong, rate-limited (counters have every event). */
  private readonly logs: LogLimiter;
  private readonly warn: PeerWarn;
  readonly gate: ConnectionGate;
  counters: ReturnType<typeof newBrokerCounters>;
  /** Connections closed because their gateway connected to another node (no session-down, no will). */
  private readonly takenOver = new WeakSet<Client>();

  private constructor(
    private readonly o: BrokerOptions,
    aedes: Aedes,
    readonly limits: BrokerLimits,
    counters: ReturnType<typeof newBrokerCounters>,
    /** The Redis backends of a cluster node (cluster.redis_url); undefined on a single node. */
    readonly cluster: ClusterBackends | undefined,
  ) {
    this.aedes = aedes;
    this.counters = counters;
    this.log = o.log.child({ component: 'broker' });
    this.logs = new LogLimiter(this.log, PEER_LOG_BUDGET);
    this.warn = (obj, msg) => {
      if (!this.logs.log('warn', obj.code, obj, msg)) this.counters.logSuppressed++;
    };
    this.gate = new ConnectionGate(limits, this.counters, this.warn);
  }

  static async start(o: BrokerOptions): Promise<CloudBroker> {
    let self: CloudBroker | undefined;
    const limits: BrokerLimits = { ...DEFAULT_BROKER_LIMITS, ...o.limits };
    const counters = newBrokerCounters();
    // what no client may subscribe to (uplinks, state) is not sent to the other nodes
    const cluster = o.cluster?.redisUrl
      ? await createClusterBackends({ ...o.cluster, localOnly: (t) => !maySubscribeTopic(t) }, o.log, counters)
      : undefined;
    // before Aedes' own listener (registered in createBroker): marks the session another node takes over
    cluster?.mq.on('$SYS/+/new/clients', (packet, done) => {
      self?.takeoverElsewhere(packet);
      done();
    });
    const aedes = await Aedes.createBroker({
      ...(cluster ? { id: cluster.nodeId, mq: cluster.mq, persistence: cluster.persistence } : {}),
      connectTimeout: limits.connectTimeoutMs,
      queueLimit: QUEUE_LIMIT,
      maxClientsIdLength: MAX_CLIENT_ID_LENGTH,
      preConnect: (client, packet, cb) => self!.preConnect(client, packet, cb),
      authenticate: (client, username, password, done) => self!.authenticate(client, username, password, done),
      authorizePublish: (client, packet, cb) => self!.authorizePublish(client, packet, cb),
      authorizeSubscribe: (client, sub, cb) => self!.authorizeSubscribe(client, sub, cb),
      // a message for a client that does not read closes it (rather than growing its send buffer)
      authorizeForward: (client, packet) => (self!.gate.closeIfNotReading(client.conn, client.id) ? null : packet),
    }).catch(async (err: unknown) => {
      await cluster?.close();
      throw err;
    });
    self = new CloudBroker(o, aedes, limits, counters, cluster);
    const gate = self.gate;
    // one retained Presence per gateway: subscriptions must not scan them all (cloud/broker/retained-index.ts;
    // with Redis the cluster backends index the persistence's retained messages)
    if (!cluster) indexRetained(retainedPersistenceOf(aedes));
    onBrokerError(aedes, (err) => {
      self!.counters.brokerErrors++;
      self!.log.error({ code: cluster ? 'CLOUD_ERR_CLUSTER' : 'CLOUD_ERR_STORE', err: err.message }, 'broker error');
    });
    aedes.on('clientReady', (c) => {
      const id = self!.identity.get(c);
      if (id) {
        self!.markOnline(id, true);
        self!.background(o.health?.sessionUp(id), id, 'session up');
        o.controlPlane?.gatewayReady(id);
      }
      if (self!.prov.has(c))
        setTimeout(() => {
          if (!c.closed) c.close();
        }, o.provSessionMs ?? 30_000).unref();
    });
    aedes.on('clientDisconnect', (c) => {
      const id = self!.identity.get(c);
      if (id && self!.takenOver.has(c)) {
        self!.log.info({ gatewayId: id }, 'session taken over by another node');
        return;
      }
      if (id) {
        self!.markOnline(id, false);
        self!.background(o.health?.sessionDown(id), id, 'session down');
      }
    });
    const clientError = (c: Client, err: Error): void => {
      if (err.message === 'Client queue limit reached') self!.counters.connectQueueFull++;
      self!.log.debug({ clientId: c.id, err: err.message }, 'client error');
    };
    aedes.on('clientError', clientError);
    aedes.on('connectionError', clientError);
    const server = createServer((socket) => {
      const c = gate.accept(socket, 'mqtt');
      if (!c) return;
      gate.guard(socket, c);
      aedes.handle(socket);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(o.port, o.host, () => resolve());
    });
    self.server = server;
    self.log.info({ port: self.port, host: o.host }, 'mqtt listener up');
    if (o.tls) {
      const t = o.tls;
      const tlsServer = createTlsServer(
        { cert: t.cert, key: t.key, minVersion: 'TLSv1.2', handshakeTimeout: limits.connectTimeoutMs },
        (tlsSocket) => {
          const c = gate.secured(tlsSocket);
          if (!c) {
            tlsSocket.destroy();
            return;
          }
          gate.guard(tlsSocket, c);
          aedes.handle(tlsSocket);
        },
      );
      // counted from accept: a TLS handshake is an unauthenticated connection too
      tlsServer.prependListener('connection', (raw: Socket) => {
        gate.accept(raw, 'tls');
      });
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

  /**
   * A client connected to another node ($SYS/<node>/new/clients): its connection here is about to
   * be closed by Aedes. The gateway is alive elsewhere, so its will (Presence offline) is not
   * published and its session is not reported down.
   */
  private takeoverElsewhere(packet: Parameters<Parameters<ClusterMq['on']>[1]>[0]): void {
    const node = packet.topic.split('/')[1];
    if (node === this.aedes.id || !Buffer.isBuffer(packet.payload)) return;
    const c = connectedClient(this.aedes, packet.payload.toString('utf8'));
    if (!c || c.closed || this.takenOver.has(c)) return;
    this.takenOver.add(c);
    suppressWill(c);
    this.counters.sessionsTakenOver++;
  }

  get tlsPort(): number {
    return (this.tlsServer?.address() as AddressInfo | null)?.port ?? 0;
  }

  /** Closes the session of a gateway (revocation); true when one was connected here. */
  disconnect(gatewayId: string): boolean {
    const c = connectedClient(this.aedes, gatewayId);
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
    if (!this.o.health) this.background(this.o.store.setGatewayOnline(id, online, Date.now()), id, 'online');
  }

  /**
   * A store write the broker does not wait for (session and health state): a failure — the
   * database is down — is logged and counted, never an unhandled rejection that ends the process.
   */
  private background(p: Promise<unknown> | undefined, gatewayId: string, what: string): void {
    p?.catch((err: unknown) => {
      this.counters.storeErrors++;
      this.warn(
        { code: 'CLOUD_ERR_STORE', gatewayId, err: String((err as Error | undefined)?.message ?? err) },
        `${what} not recorded`,
      );
    });
  }

  /** Keeps what the CONNECT asked for (will, clean), judged in authenticate where a CONNACK code can be sent. */
  private preConnect(client: Client, packet: ConnectPacket, cb: (e: Error | null, ok: boolean) => void): void {
    const will = packet.will as WillFacts | undefined;
    this.connects.set(client, { clientId: packet.clientId ?? '', clean: packet.clean !== false, will: will ?? null });
    cb(null, true);
  }

  private authenticate(
    client: Client,
    username: string | undefined,
    password: Buffer | undefined,
    done: (e: AuthenticateError | null, ok: boolean | null) => void,
  ): void {
    const fail = (code: string, reason: string, rc: RefusalCode): void => {
      this.counters.authFailures++;
      this.warn({ code, clientId: client.id, username, reason }, 'connection refused');
      done(authError(reason, rc), null);
    };
    const refuse = (r: ConnectRefusal): void => {
      if (r.code === 'CLOUD_ERR_WILL_REFUSED') this.counters.willRefused++;
      else this.counters.persistentSessionRefused++;
      fail(r.code, r.reason, r.rc);
    };
    const facts = this.connects.get(client) ?? { clientId: client.id, clean: client.clean, will: null };
    if (username === PROV_USERNAME && this.o.controlPlane) {
      // the provisioning namespace: the token is proved in the ClaimRequest; the session reaches nothing else and leaves nothing behind
      if (!PROV_SESSION_RE.test(client.id))
        return fail(
          'CLOUD_ERR_CLIENT_ID',
          `provisioning client id ${client.id} must be prov-<16..64 letters or digits>`,
          2,
        );
      const r = provConnectRefusal(facts);
      if (r) return refuse(r);
      if (this.provIds.has(client.id) || connectedClient(this.aedes, client.id)) {
        this.counters.clientIdInUse++;
        return fail(
          'CLOUD_ERR_CLIENT_ID_IN_USE',
          `client id ${client.id} is connected; a provisioning session never takes over a session`,
          2,
        );
      }
      this.provIds.set(client.id, client);
      client.conn.once('close', () => {
        if (this.provIds.get(client.id) === client) this.provIds.delete(client.id);
      });
      this.prov.set(client, { claimed: false });
      // still unauthenticated for the gate: a slot among mqtt.max_unauthenticated, the small packet limit
      return done(null, true);
    }
    if (!username || !GATEWAY_ID_RE.test(username) || !password)
      return fail('CLOUD_ERR_AUTH_FAILED', 'missing or malformed credentials', 4);
    if (client.id !== username) return fail('CLOUD_ERR_CLIENT_ID', `client id ${client.id} is not the gateway id`, 2);
    const r = gatewayConnectRefusal(username, facts);
    if (r) return refuse(r);
    // the secret first: only the holder of a gateway's secret learns that it was revoked
    Promise.all([this.o.store.gatewaySecretHash(username), this.o.controlPlane?.isRevoked(username) ?? false])
      .then(async ([hash, revoked]) => ({
        ok: hash ? await verifySecret(password.toString('utf8'), hash) : false,
        revoked,
      }))
      .then(
        ({ ok, revoked }) => {
          if (!ok) return fail('CLOUD_ERR_AUTH_FAILED', 'unknown gateway or wrong secret', 4);
          if (revoked) {
            this.counters.revokedRefused++;
            return fail('CLOUD_ERR_GATEWAY_REVOKED', 'gateway credentials revoked by an operator', 5);
          }
          this.identity.set(client, username);
          this.gate.authenticated(client.conn, username);
          done(null, true);
        },
        (err: Error) => fail('CLOUD_ERR_STORE', err.message, 3),
      );
  }

  private denyPublish(
    client: Client,
    gw: string | undefined,
    packet: { topic: string; retain: boolean; qos: number },
    why: string,
    cb: (e?: Error | null) => void,
  ): void {
    this.counters.aclDenied++;
    this.warn(
      {
        code: 'CLOUD_ERR_ACL_DENIED',
        gatewayId: gw,
        clientId: client.id,
        topic: packet.topic.slice(0, 200),
        retain: packet.retain,
        qos: packet.qos,
        why,
      },
      'publish denied; disconnecting',
    );
    cb(new Error(`publish to ${packet.topic} not allowed`));
  }

  /**
   * A will of another node that died, fired by this one (Aedes' will sweep, minutes later), for a
   * gateway that has reconnected since (here or, as the shared health says, elsewhere): it must not
   * replace the gateway's retained online Presence nor end its session. It goes out unretained and
   * is counted. (Aedes looks the old will up under the wrong broker id on reconnect, so it survives.)
   */
  private staleWill(packet: { topic: string; retain: boolean }): boolean {
    const w = packet as { brokerId?: unknown; clientId?: unknown; retain: boolean };
    if (typeof w.brokerId !== 'string' || w.brokerId === this.aedes.id || typeof w.clientId !== 'string') return false;
    const rec = this.o.health?.gateway?.(w.clientId);
    const back = connectedClient(this.aedes, w.clientId) !== undefined || (rec?.sessionUp && rec.status !== 'offline');
    if (!back) return false;
    w.retain = false;
    this.counters.staleWillsIgnored++;
    this.warn(
      { code: 'CLOUD_ERR_CLUSTER', gatewayId: w.clientId, deadNode: w.brokerId },
      'will of a dead node ignored: the gateway is back',
    );
    return true;
  }

  private authorizePublish(
    client: Client | null,
    packet: { topic: string; payload: Buffer | string; retain: boolean; qos: number },
    cb: (e?: Error | null) => void,
  ): void {
    if (this.staleWill(packet)) return cb(null);
    if (!client) return cb(null);
    // QoS 2 keeps per-client state until PUBREL; nothing of ours uses it
    const session = this.prov.get(client);
    if (session)
      return packet.qos > 1
        ? this.denyPublish(client, undefined, packet, 'QoS 2', cb)
        : this.provPublish(client, session, packet, cb);
    const gw = this.identity.get(client);
    if (!gw || !mayPublish(gw, packet.topic, packet.retain)) return this.denyPublish(client, gw, packet, 'topic', cb);
    if (packet.qos > 1) return this.denyPublish(client, gw, packet, 'QoS 2', cb);
    const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
    if (packet.topic === topics.state(gw) && payload.length > MAX_STATE_BYTES)
      return this.denyPublish(client, gw, packet, `state of ${payload.length} bytes (at most ${MAX_STATE_BYTES})`, cb);
    const kind = parseGatewayTopic(packet.topic)?.kind;
    if (kind === 'batch') {
      void this.o.ingest.handle(gw, payload).then((ack) => {
        cb(null); // PUBACK now means: stored (or rejected for good)
        if (ack) this.sendTo(client, topics.down(gw, 'ack'), Buffer.from(ack));
      });
      return;
    }
    if (kind === 'config-status' && this.o.controlPlane) {
      void this.o.controlPlane.configStatus(gw, payload).then(
        () => cb(null),
        () => cb(null),
      );
      return;
    }
    if (kind === 'health') {
      try {
        const h = pb.Health.decode(payload);
        this.counters.health++;
        this.markOnline(gw, true);
        this.background(this.o.health?.health(gw, h), gw, 'health');
      } catch (err) {
        this.warn(
          { code: 'WIRE_ERR_DECODE', gatewayId: gw, err: (err as Error).message },
          'undecodable health message dropped',
        );
      }
    }
    if (packet.topic === topics.state(gw)) {
      // the retained Presence, and the will (Aedes authorizes it when it fires): online=false means gone
      try {
        if (!pb.Presence.decode(payload).online) this.background(this.o.health?.sessionDown(gw), gw, 'presence');
      } catch (err) {
        this.warn({ code: 'WIRE_ERR_DECODE', gatewayId: gw, err: (err as Error).message }, 'undecodable presence');
      }
    }
    cb(null);
  }

  /**
   * An answer for the connection that asked (BatchAck, ClaimResponse): written to that client
   * directly, not through the broker's shared message queue, so a client that does not read holds
   * up nobody else; past max_outgoing_bytes unsent it is closed instead.
   */
  private sendTo(client: Client, topic: string, payload: Buffer): void {
    if (client.closed || this.gate.closeIfNotReading(client.conn, client.id)) return;
    client.publish({ cmd: 'publish', topic, payload, qos: 1, retain: false, dup: false }, () => {});
  }

  /** One ClaimRequest per provisioning session, answered on its response topic. */
  private provPublish(
    client: Client,
    session: { claimed: boolean },
    packet: { topic: string; payload: Buffer | string; retain: boolean; qos: number },
    cb: (e?: Error | null) => void,
  ): void {
    if (session.claimed || !mayProvPublish(client.id, packet.topic, packet.retain))
      return this.denyPublish(client, undefined, packet, 'provisioning session outside its one request', cb);
    session.claimed = true;
    this.counters.claims++;
    this.gate.requestUnderWay(client.conn);
    const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
    void this.o.controlPlane!.claim(client.id, payload, this.gate.addressOf(client.conn)).then((res) => {
      cb(null);
      this.sendTo(client, topics.provResponse(client.id), res);
    });
  }

  private authorizeSubscribe(
    client: Client,
    sub: Subscription,
    cb: (e: Error | null, s?: Subscription | null) => void,
  ): void {
    const gw = this.identity.get(client);
    if (gw && maySubscribe(gw, sub.topic)) return cb(null, sub);
    if (this.prov.has(client) && mayProvSubscribe(client.id, sub.topic)) return cb(null, sub);
    this.counters.aclDenied++;
    this.warn(
      { code: 'CLOUD_ERR_ACL_DENIED', gatewayId: gw, clientId: client.id, filter: sub.topic.slice(0, 200) },
      'subscription refused',
    );
    cb(null, null); // SUBACK 0x80 for this filter; the connection stays
  }

  async stop(): Promise<void> {
    const s = this.server,
      t = this.tlsServer;
    this.server = undefined;
    this.tlsServer = undefined;
    this.logs.close();
    this.gate.closeUnauthenticated();
    this.cluster?.stopping();
    const t0 = Date.now();
    const sessions = this.aedes.connectedClients;
    await new Promise<void>((resolve) => this.aedes.close(() => resolve()));
    const t1 = Date.now();
    await this.cluster?.close();
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
    if (t) await new Promise<void>((resolve) => t.close(() => resolve()));
    this.log.info({ sessions, sessionsClosedMs: t1 - t0, clusterClosedMs: Date.now() - t1 }, 'broker stopped');
  }
}
