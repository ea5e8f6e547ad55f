/**
 * Simulated CoAP sensors: each device has its own UDP socket (node-coap Agent), so CoAP
 * retransmissions come from the same endpoint, as from a real NB-IoT module. Used by the demo,
 * the end-to-end tests and the edge-ingest benchmark.
 */
import coap from 'coap';
import { stopRetransmission } from '../../edge/southbound/coap/node-coap-internals.js';
import type { Reading } from '../../proto/reading.js';

export interface SensorTarget {
  host: string;
  port: number;
}

export interface SenmlRecord {
  n: string;
  u?: string;
  v?: number;
  vb?: boolean;
  vs?: string;
  t?: number;
}

export class SimSensor {
  readonly agent: coap.Agent;
  /**
   * @param giveUpMs like a battery-powered module, stop retransmitting and give the reading up
   *   after this long (node-coap on its own waits EXCHANGE_LIFETIME, about 247 s)
   */
  constructor(
    readonly deviceId: string,
    readonly target: SensorTarget,
    private readonly giveUpMs = 0,
  ) {
    this.agent = new coap.Agent({ type: 'udp4' });
  }

  /** POSTs one CON request; resolves with the response code (e.g. '2.04') and payload. */
  post(path: string, payload: Buffer, contentFormat: string): Promise<{ code: string; payload: string }> {
    return new Promise((resolve, reject) => {
      const req = coap.request({
        hostname: this.target.host,
        port: this.target.port,
        pathname: path,
        method: 'POST',
        confirmable: true,
        agent: this.agent,
      });
      const giveUp =
        this.giveUpMs > 0
          ? setTimeout(() => {
              stopRetransmission(req);
              reject(new Error(`${this.deviceId}: no response in ${this.giveUpMs} ms, reading given up`));
            }, this.giveUpMs)
          : undefined;
      req.setOption('Content-Format', contentFormat);
      req.on('response', (res: coap.IncomingMessage) => {
        clearTimeout(giveUp);
        resolve({ code: res.code, payload: res.payload.toString('utf8') });
      });
      req.on('error', (err: Error) => {
        clearTimeout(giveUp);
        reject(err);
      });
      req.on('timeout', () => {
        clearTimeout(giveUp);
        reject(new Error(`${this.deviceId}: no response (CoAP exchange timed out)`));
      });
      req.end(payload);
    });
  }

  /** One SenML pack with device timestamps (seconds). */
  sendSenml(records: SenmlRecord[]): Promise<{ code: string; payload: string }> {
    return this.post(
      `/senml/${encodeURIComponent(this.deviceId)}`,
      Buffer.from(JSON.stringify(records)),
      'application/senml+json',
    );
  }

  sendRaw(layout: string, bytes: Uint8Array): Promise<{ code: string; payload: string }> {
    return this.post(
      `/raw/${layout}/${encodeURIComponent(this.deviceId)}`,
      Buffer.from(bytes),
      'application/octet-stream',
    );
  }

  close(): void {
    this.agent.close();
  }
}

/** SenML records for readings of one device (value kinds mapped to v / vb / vs). */
export function toSenml(readings: Reading[]): SenmlRecord[] {
  return readings.map((r) => {
    const rec: SenmlRecord = { n: r.metric, t: r.ts / 1000 };
    if (r.unit) rec.u = r.unit;
    if (typeof r.value === 'number') rec.v = r.value;
    else if (typeof r.value === 'boolean') rec.vb = r.value;
    else rec.vs = r.value;
    return rec;
  });
}
