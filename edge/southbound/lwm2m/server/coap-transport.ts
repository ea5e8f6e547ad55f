/**
 * The LwM2M server on the agent's CoAP socket (exchange.ts's Lwm2mTransport): /rd and /dp are
 * answered "5.03 not running" by the CoAP uplink server until the LwM2M server starts; then the
 * socket dispatcher (coap-dispatcher.ts) takes its traffic and node-coap's Agent on the same socket sends
 * its requests (coap-client.ts). The CoAP server must have started (it owns the socket).
 */
import type { Socket } from 'node:dgram';
import coap from 'coap';
import type { CoapUplinkServer } from '../../coap/server.js';
import { DeviceClient } from './coap-client.js';
import { CoapWire } from './coap-dispatcher.js';
import type { DeviceRequester, Lwm2mTransport, TransportLimits, UploadFigures, WireHandlers } from './exchange.js';

export class CoapLwm2mTransport implements Lwm2mTransport {
  private wire: CoapWire | undefined;
  private client: DeviceClient | undefined;

  /** Registers /rd and /dp on `coap` (before it starts). */
  constructor(private readonly coap: CoapUplinkServer) {
    const busy = (_req: unknown, res: coap.OutgoingMessage): void => {
      res.code = '5.03';
      res.end(Buffer.from('LwM2M server not running'));
    };
    coap.addResource('rd', busy);
    coap.addResource('dp', busy);
  }

  start(handlers: WireHandlers, limits: TransportLimits): DeviceRequester {
    const socket = this.coap.socket as Socket | undefined;
    if (!socket) throw new Error('the CoAP server must start before the LwM2M server');
    const wire = new CoapWire(socket, handlers, {
      maxUploadBytes: limits.maxUploadBytes,
      maxUploads: limits.maxUploads,
      maxUploadTotalBytes: limits.maxUploadTotalBytes,
    });
    this.wire = wire;
    let agent: coap.Agent | undefined;
    wire.install(() => {
      agent = new coap.Agent({ socket });
    });
    this.client = new DeviceClient(agent!, limits.requestTimeoutMs, wire);
    return this.client;
  }

  uploads(): UploadFigures | undefined {
    return this.wire;
  }

  stop(): void {
    this.client?.abortAll();
    this.wire?.uninstall();
  }
}
