/**
 * WS-Discovery: one Probe for NetworkVideoTransmitter devices, sent to the multicast group of the
 * site LAN (239.255.255.250:3702) or to any address given (tests use a loopback responder), and
 * every ProbeMatch received within the window, deduplicated by endpoint reference. Answers come
 * from anyone on the LAN: only ProbeMatches that relate to our Probe count, a malformed one costs
 * only itself, and the cameras found per probe are capped (MAX_DISCOVERED).
 */
import { createSocket } from 'node:dgram';
import { randomUUID } from 'node:crypto';

export interface DiscoveredCamera {
  endpoint: string;
  xaddrs: string[];
  scopes: string[];
  name: string;
  hardware: string;
  from: string;
}

const probeXml = (id: string): string =>
  '<?xml version="1.0" encoding="UTF-8"?>' +
  '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" xmlns:dn="http://www.onvif.org/ver10/network/wsdl">' +
  `<s:Header><a:MessageID>urn:uuid:${id}</a:MessageID><a:To s:mustUnderstand="1">urn:schemas-xmlsoap-org:ws:2005:04:discovery</a:To>` +
  '<a:Action s:mustUnderstand="1">http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</a:Action></s:Header>' +
  '<s:Body><d:Probe><d:Types>dn:NetworkVideoTransmitter</d:Types></d:Probe></s:Body></s:Envelope>';

/** Cameras kept from one probe; more answers are ignored (and counted in `ignored`). */
export const MAX_DISCOVERED = 1024;
/** Largest answer datagram parsed. */
const MAX_ANSWER_BYTES = 64 * 1024;

const tag = (xml: string, name: string): string | undefined =>
  new RegExp(`<(?:[\\w-]+:)?${name}\\b[^>]*>([\\s\\S]*?)</(?:[\\w-]+:)?${name}>`).exec(xml)?.[1]?.trim();

export function parseProbeMatches(xml: string, messageId: string): DiscoveredCamera[] {
  const relates = tag(xml, 'RelatesTo');
  if (relates !== `urn:uuid:${messageId}`) return []; // WS-Discovery: a ProbeMatches relates to its Probe
  const decode = (v: string): string => {
    try {
      return decodeURIComponent(v);
    } catch {
      return v;
    }
  };
  const out: DiscoveredCamera[] = [];
  for (const m of xml.matchAll(/<(?:[\w-]+:)?ProbeMatch\b[^>]*>([\s\S]*?)<\/(?:[\w-]+:)?ProbeMatch>/g)) {
    const body = m[1]!;
    const xaddrs = (tag(body, 'XAddrs') ?? '').split(/\s+/).filter((x) => /^https?:\/\//.test(x));
    if (xaddrs.length === 0) continue;
    const scopes = (tag(body, 'Scopes') ?? '').split(/\s+/).filter(Boolean);
    const scope = (k: string): string => decode(scopes.find((s) => s.includes(`/${k}/`))?.split(`/${k}/`)[1] ?? '');
    out.push({
      endpoint: tag(tag(body, 'EndpointReference') ?? '', 'Address') ?? xaddrs[0]!,
      xaddrs,
      scopes,
      name: scope('name'),
      hardware: scope('hardware'),
      from: '',
    });
  }
  return out;
}

/** Sends one Probe to `target` ("host:port") and collects answers for `windowMs`. */
export async function probe(target: string, windowMs: number): Promise<DiscoveredCamera[]> {
  const [host, portText] = target.includes(':')
    ? [target.slice(0, target.lastIndexOf(':')), target.slice(target.lastIndexOf(':') + 1)]
    : [target, '3702'];
  const id = randomUUID();
  const sock = createSocket({ type: 'udp4', reuseAddr: true });
  const found = new Map<string, DiscoveredCamera>();
  sock.on('message', (msg, rinfo) => {
    if (msg.length > MAX_ANSWER_BYTES) return;
    for (const c of parseProbeMatches(msg.toString('utf8'), id)) {
      if (!found.has(c.endpoint) && found.size < MAX_DISCOVERED) found.set(c.endpoint, { ...c, from: rinfo.address });
    }
  });
  await new Promise<void>((resolve, reject) => {
    sock.once('error', reject);
    sock.bind(0, () => resolve());
  });
  if (host.startsWith('239.')) sock.setMulticastTTL(1); // site LAN only
  await new Promise<void>((resolve, reject) =>
    sock.send(probeXml(id), Number(portText), host, (e) => (e ? reject(e) : resolve())),
  );
  await new Promise((r) => setTimeout(r, windowMs));
  sock.close();
  return [...found.values()];
}
