/**
 * WS-Discovery Probe responder for test cameras, bound to loopback only (never joins a multicast
 * group): each Probe is answered with one ProbeMatches datagram per camera, built from the
 * fixture Probe.xml (RelatesTo = the probe's MessageID, XAddrs = the camera's device service).
 */
import { createSocket, type Socket } from 'node:dgram';
import { randomUUID } from 'node:crypto';
import { fixtureFor } from './onvif-fixtures.js';

export class WsDiscoveryResponder {
  private sock: Socket | undefined;
  port = 0;
  probes = 0;
  private readonly devices: { xaddr: string; uuid: string }[] = [];

  add(xaddr: string): this {
    this.devices.push({ xaddr, uuid: randomUUID() });
    return this;
  }

  async start(): Promise<this> {
    const sock = createSocket('udp4');
    sock.on('message', (msg, rinfo) => {
      const text = msg.toString('utf8');
      if (!/<(?:\w+:)?Probe\b/.test(text)) return;
      this.probes++;
      const id = /<(?:\w+:)?MessageID[^>]*>([^<]+)</.exec(text)?.[1]?.trim() ?? '';
      for (const d of this.devices) {
        const xml = fixtureFor('Probe', '')!
          .replace('RELATES_TO', id)
          .replace('SERVICE_URI', d.xaddr)
          .replace(/uuid:c9790c3a-701b-464d-a189-0060351c8ada/, `urn:uuid:${d.uuid}`)
          .replace(/urn:uuid:01234567-dead-beef-baad-abcdeffedcba/, `urn:uuid:${randomUUID()}`);
        sock.send(xml, rinfo.port, rinfo.address);
      }
    });
    await new Promise<void>((resolve) => sock.bind(0, '127.0.0.1', () => resolve()));
    this.port = sock.address().port;
    this.sock = sock;
    return this;
  }

  async stop(): Promise<void> {
    const s = this.sock;
    this.sock = undefined;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}
