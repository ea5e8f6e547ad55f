/**
 * ONVIF answers from a camera (or from anyone on the site LAN): each input is an XML document
 * given to
 *   - parseProbeMatches (a WS-Discovery answer arrives as a UDP datagram, parsed by our regexes),
 *     and parseEndpoint on every XAddr it yields;
 *   - every PackageOnvifClient operation (GetSystemDateAndTime, GetCapabilities,
 *     GetDeviceInformation, GetProfiles, GetStreamUri, GetSnapshotUri, CreatePullPointSubscription,
 *     PullMessages, Renew, Unsubscribe) as the HTTP response body: the onvif package parses it
 *     (parseSOAPString, xml2js, its per-operation code) and our mapping turns its output into
 *     DeviceInfo, MediaProfile[], Notification[] … (the HTTP request is replaced by the body, at
 *     the package's _requestPart2); the notifications then go through normalise();
 *   - sdpControls, as the body of an RTSP DESCRIBE answer.
 * Operations must resolve or reject with a CAMERA_ERR_* error; an exception escaping the package's
 * callback chain (which in the agent runs in an HTTP 'end' handler) is a finding.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import url from 'node:url';
import { createRequire } from 'node:module';
import { isYiwangError } from '../../../common/errors.js';
import { parseProbeMatches } from '../../../edge/southbound/onvif/discovery.js';
import { normalise } from '../../../edge/southbound/onvif/normalise.js';
import { PackageOnvifClient, parseEndpoint, type Notification } from '../../../edge/southbound/onvif/onvif-client.js';
import { sdpControls } from '../../../edge/southbound/onvif/rtsp-probe.js';
import { Secret } from '../../../edge/southbound/onvif/secret.js';
import { soapGuardInstalled } from '../../../edge/southbound/onvif/soap-guard.js';
import { InvariantError, type FuzzTarget, type Seed } from '../lib/target.js';
import { decodeUtf8, filesUnder, SHARED_DIR, text } from './common.js';

type Cb = (err: Error | null, data?: unknown, xml?: string) => void;
// the package's own SOAP parser (what its HTTP response handler calls)
const { parseSOAPString } = createRequire(import.meta.url)('onvif/lib/utils.js') as {
  parseSOAPString(xml: string, cb: Cb, status: number): void;
};

const MESSAGE_ID = '6e1c7e6a-3c5b-4c07-9d1b-0c5b2c1f0a11';
const isCameraCoded = (err: unknown): boolean => isYiwangError(err) && err.code.startsWith('CAMERA_ERR_');

if (!soapGuardInstalled)
  throw new Error('the SOAP guard (edge/southbound/onvif/soap-guard.ts) is not in front of the onvif package');
const client = new PackageOnvifClient(
  { hostname: '192.0.2.10', port: 80, path: '/onvif/device_service' },
  'admin',
  new Secret('secret'),
  1000,
);
const cam = (client as unknown as { cam: Record<string, unknown> & { events: { subscription?: unknown } } }).cam;

/** The body every request of the package gets as its HTTP answer. */
let body = '';
let escaped: unknown;
cam._requestPart2 = (_options: unknown, callback: Cb): void => {
  try {
    parseSOAPString(body, callback, 200);
  } catch (err) {
    // in the agent this runs in the HTTP response's 'end' handler: an exception here is uncaught
    escaped ??= err;
  }
};
cam._request = (options: Record<string, unknown>, callback: Cb): void => {
  (cam._requestPart2 as (o: unknown, cb: Cb) => void)(options, callback);
};

const subscription = (): unknown => ({
  subscriptionReference: { address: url.parse('http://192.0.2.10/onvif/events') },
});

async function op<T>(name: string, f: () => Promise<T>): Promise<T | undefined> {
  try {
    return await f();
  } catch (err) {
    if (isCameraCoded(err)) return undefined;
    throw new InvariantError(`${name}: rejected with ${isYiwangError(err) ? err.code : String(err)}`);
  }
}

async function run(input: Uint8Array): Promise<unknown> {
  const xml = decodeUtf8(input);
  escaped = undefined;
  for (const c of parseProbeMatches(xml, MESSAGE_ID)) for (const x of c.xaddrs) parseEndpoint(x);
  sdpControls(xml);
  body = xml;
  await op('GetSystemDateAndTime', () => client.systemTime());
  await op('GetCapabilities', () => client.capabilities());
  await op('GetDeviceInformation', () => client.deviceInfo());
  await op('GetProfiles', () => client.profiles());
  await op('GetStreamUri', () => client.streamUri('profile_1'));
  await op('GetSnapshotUri', () => client.snapshotUri('profile_1'));
  cam.events.subscription = undefined;
  await op('CreatePullPointSubscription', () => client.createPullPoint());
  cam.events.subscription = subscription();
  const notes = (await op('PullMessages', () => client.pull(10))) ?? [];
  for (const n of notes as Notification[]) normalise(n);
  cam.events.subscription = subscription();
  await op('Renew', () => client.renew());
  cam.events.subscription = subscription();
  await op('Unsubscribe', () => client.unsubscribe());
  if (escaped !== undefined) throw escaped;
  return undefined;
}

function seeds(): Seed[] {
  const dir = join(SHARED_DIR, 'fixtures', 'onvif-responses');
  const out: Seed[] = filesUnder(dir, (f) => f.endsWith('.xml') || !f.includes('.')).map((f) => ({
    name: `fixture-${f.slice(dir.length + 1)}`,
    bytes: new Uint8Array(readFileSync(f)),
  }));
  out.push(
    text(
      'probe-match',
      `<?xml version="1.0"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery"><s:Header><a:RelatesTo>urn:uuid:${MESSAGE_ID}</a:RelatesTo></s:Header><s:Body><d:ProbeMatches><d:ProbeMatch><a:EndpointReference><a:Address>urn:uuid:cam-1</a:Address></a:EndpointReference><d:Scopes>onvif://www.onvif.org/name/Yiwang%20Cam onvif://www.onvif.org/hardware/IPC-1</d:Scopes><d:XAddrs>http://192.0.2.10/onvif/device_service http://[fe80::1]:8080/onvif</d:XAddrs></d:ProbeMatch></d:ProbeMatches></s:Body></s:Envelope>`,
    ),
  );
  out.push(
    text(
      'sdp',
      'v=0\r\no=- 1 1 IN IP4 192.0.2.10\r\ns=Stream\r\na=control:*\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\na=control:trackID=1\r\nm=audio 0 RTP/AVP 0\r\na=control:trackID=2\r\n',
    ),
  );
  return out;
}

const target: FuzzTarget = {
  name: 'onvif',
  description:
    'ONVIF XML answers: WS-Discovery ProbeMatches, SOAP responses through the onvif package into our mapping, SDP',
  seeds,
  dictionary: [
    '<',
    '>',
    '</',
    '/>',
    '<?xml version="1.0"?>',
    '<![CDATA[',
    ']]>',
    '<!--',
    '-->',
    '<!DOCTYPE x [<!ENTITY a "b">]>',
    '&amp;',
    '&#x0;',
    '&a;',
    'xmlns:tt="http://www.onvif.org/ver10/schema"',
    'xmlns=',
    '=""',
    ' ',
    's:Envelope',
    's:Body',
    's:Fault',
    'tt:',
    'tds:',
    'trt:',
    'tev:',
    'wsnt:',
    'ProbeMatch',
    'XAddrs',
    'Scopes',
    '%',
    '%E0%A4%A',
    'http://',
    'Name="',
    'Value="',
    'SimpleItem',
    'NotificationMessage',
    'Topic',
    'UtcTime="',
    'true',
    'false',
    '2024-05-01T10:00:00Z',
    'a=control:',
    'm=video',
    '\r\n',
  ],
  maxLen: 64 * 1024,
  run,
  isCoded: isCameraCoded,
};
export default target;
