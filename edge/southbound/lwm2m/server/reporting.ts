/**
 * The Information Reporting interface: Send (/dp) and notifications of observations, turned into
 * readings and made durable before the device is answered (a CON notification is acknowledged
 * only after its readings are committed). A notification too large for one datagram is fetched
 * whole first.
 */
import type { Logger } from '../../../../common/log.js';
import { isYiwangError } from '../../../../common/errors.js';
import type { UplinkSink } from '../../types.js';
import { blockValue as blockBuffer, parseBlock } from '../../coap/block1.js';
import {
  CONTENT_FORMAT,
  decodeRecords,
  encodePaths,
  Lwm2mPath,
  type Lwm2mRecord,
  type ModelLookup,
} from '../core/index.js';
import {
  optionBuffer,
  optionUint,
  type DeviceRequester,
  type Peer,
  type WireMessage,
  type WireReply,
  type WireRequest,
} from './exchange.js';
import { serverError } from './errors.js';
import type { ObservationTable } from './observations.js';
import { recordsToReadings, type BinaryDecoder, type MetricNamer } from './readings.js';
import type { RegistrationTable } from './registration-table.js';

export const newReportingCounters = () => ({ notifications: 0, blockwiseNotifications: 0, sends: 0, readings: 0 });
export type ReportingCounters = ReturnType<typeof newReportingCounters>;

export interface ReportingDeps {
  table: RegistrationTable;
  observations: ObservationTable;
  model: ModelLookup;
  sink: UplinkSink;
  log: Logger;
  /** Resource paths of vendor binary payloads (object 19 uplink). */
  binaryPaths: ReadonlySet<string>;
  decodeBinary?: BinaryDecoder;
  metricNamer?: MetricNamer;
  onUplink?: (deviceId: string, readings: number) => void;
  /** The requester for the blocks after the first of a notification (there once the transport started). */
  client(): DeviceRequester;
  /** The device sent something (it is awake; send what waits for it). */
  talked(ep: string): void;
  /** Where reporting counts (the server's counters object). */
  counters: ReportingCounters;
}

export class Reporting {
  /** Observations (token hex) whose notification's further blocks are being fetched: at most one
   * fetch per observation (bounded by the observation table); a retransmission, or a newer
   * notification meanwhile, is left unacknowledged and the device sends it again. */
  private readonly blockFetches = new Set<string>();

  constructor(private readonly d: ReportingDeps) {}

  /**
   * Send (/dp) from a registered device. A Send carries no endpoint name: it is credited to the
   * registration that owns its source address, which is the one that last registered or updated
   * from it (registration-table.ts); the same after a restart, as ownership is stored.
   */
  async send(req: WireRequest): Promise<WireReply> {
    const r = this.d.table.byPeer(req.peer.address, req.peer.port);
    if (!r?.online)
      throw serverError(
        'LWM2M_ERR_NOT_REGISTERED',
        `Send from ${req.peer.address}:${req.peer.port}, which is not registered`,
      );
    const records = decodeRecords(req.contentFormat ?? r.contentFormat, req.payload, Lwm2mPath.ROOT, this.d.model);
    await this.store(
      r.endpoint,
      records,
      req.confirmable ? `lwm2m:${req.peer.address}:${req.peer.port}#${req.messageId}` : undefined,
    );
    this.d.counters.sends++;
    this.d.talked(r.endpoint);
    return { code: '2.04' };
  }

  /** Records → readings → durable store. */
  async store(ep: string, records: readonly Lwm2mRecord[], key: string | undefined): Promise<'stored' | 'duplicate'> {
    const readings = recordsToReadings(ep, records, Date.now(), {
      model: this.d.model,
      binaryPaths: this.d.binaryPaths,
      ...(this.d.decodeBinary ? { decodeBinary: this.d.decodeBinary } : {}),
      ...(this.d.metricNamer ? { metricNamer: this.d.metricNamer } : {}),
    });
    if (readings.length === 0) return 'stored';
    const res = await this.d.sink.accept(readings, key);
    if (res === 'stored') {
      this.d.counters.readings += readings.length;
      this.d.onUplink?.(ep, readings.length);
    }
    return res;
  }

  /**
   * A notification too large for one datagram carries the first block (Block2, more=1); the rest
   * is fetched from block 1 on (RFC 7959 §2.6) before the whole is decoded: with GET for an
   * Observe, with FETCH of the same path list for an Observe-Composite.
   */
  private async wholeNotification(packet: WireMessage, peer: Peer): Promise<WireMessage> {
    const b2 = optionBuffer(packet, 'Block2');
    if (!b2) return packet;
    const block = parseBlock(b2);
    const obs = this.d.observations.byTokenHex(packet.token.toString('hex'));
    const reg = obs && this.d.table.get(obs.endpoint);
    if (!block?.more || block.num !== 0 || !obs || !reg) return packet;
    const exchange = packet.token.toString('hex');
    if (this.blockFetches.has(exchange))
      throw serverError('LWM2M_ERR_BLOCK', 'a notification of this observation is having its blocks fetched');
    this.blockFetches.add(exchange);
    try {
      const cf = optionUint(optionBuffer(packet, 'Content-Format'));
      const block2 = blockBuffer({ num: 1, more: false, szx: block.szx });
      const senml = cf === CONTENT_FORMAT.SENML_CBOR ? cf : CONTENT_FORMAT.SENML_JSON;
      // from where the notification came (the token names the observation, not the address)
      const rest = await this.d.client().send(
        { address: peer.address, port: peer.port },
        reg.rootPath,
        obs.composite
          ? {
              method: 'FETCH',
              path: undefined,
              query: [],
              contentFormat: senml,
              accept: senml,
              payload: Buffer.from(encodePaths(senml, obs.paths)),
              block2,
            }
          : { method: 'GET', path: obs.paths[0], query: [], ...(cf !== undefined ? { accept: cf } : {}), block2 },
      );
      if (!rest.code.startsWith('2.'))
        throw serverError(
          'LWM2M_ERR_BLOCK',
          `${obs.endpoint} answered ${rest.code} to the blocks after the first of a notification`,
        );
      this.d.counters.blockwiseNotifications++;
      // A device that ignores Block2 in the request sends the whole representation again.
      const payload = rest.blockwise ? Buffer.concat([packet.payload, rest.payload]) : rest.payload;
      return { ...packet, payload, options: packet.options.filter((o) => o.name !== 'Block2') };
    } finally {
      this.blockFetches.delete(exchange);
    }
  }

  /** A notification: 'ack' once its readings are durable, 'reset' for an unknown observation, 'none' to stay silent. */
  async notification(packet: WireMessage, peer: Peer): Promise<'ack' | 'reset' | 'none'> {
    try {
      packet = await this.wholeNotification(packet, peer);
    } catch (err) {
      this.d.log.warn(
        {
          peer: `${peer.address}:${peer.port}`,
          code: isYiwangError(err) ? err.code : undefined,
          err: (err as Error).message,
        },
        'blockwise notification not fetched: not acknowledged',
      );
      return 'none';
    }
    const ep = this.d.observations.decode(packet, peer, (e) => this.d.table.get(e)?.contentFormat ?? 11542);
    if (!ep) return 'reset';
    const r = this.d.table.get(ep.obs.endpoint);
    this.d.counters.notifications++;
    if (r) this.d.talked(r.endpoint);
    if (ep.kind === 'ended') {
      await this.d.observations.remove(ep.obs.endpoint, ep.obs.key);
      return 'ack';
    }
    if (ep.kind === 'bad') return 'ack';
    try {
      await this.store(
        ep.obs.endpoint,
        ep.records,
        packet.confirmable ? `lwm2m:${peer.address}:${peer.port}#${packet.messageId}` : undefined,
      );
      return 'ack';
    } catch (err) {
      this.d.log.error(
        { deviceId: ep.obs.endpoint, code: isYiwangError(err) ? err.code : undefined, err: (err as Error).message },
        'notification not stored: not acknowledged',
      );
      return 'none';
    }
  }
}
