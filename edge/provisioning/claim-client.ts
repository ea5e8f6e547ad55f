/**
 * The gateway's side of provisioning by claim: generate an X25519 key pair, connect to the
 * provisioning namespace (client id `prov-<random>`, username `$claim`), publish a ClaimRequest,
 * wait for the ClaimResponse and open the sealed identity with the private key.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import mqtt from 'mqtt';
import { YiwangError } from '../../common/errors.js';
import { newX25519, open } from '../../common/seal.js';
import { VERSION } from '../../common/version.js';
import { pb } from '../../proto/index.js';
import { PROV_USERNAME, topics } from '../../proto/topics.js';

export interface ClaimOptions {
  url: string;
  token: string;
  requestedId?: string;
  timeoutMs?: number;
  ca?: string;
  /** Told when the broker accepted the session and when the request went out (progress bar). */
  onStep?: (step: 'connected' | 'requested') => void;
}

/** Errors of the TLS layer (certificate not trusted, wrong name, expired, handshake) rather than of the network. */
export function isTlsFailure(err: Error & { code?: unknown }): boolean {
  const code = typeof err.code === 'string' ? err.code : '';
  return (
    /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|^ERR_(SSL|TLS)_|HOSTNAME_MISMATCH/.test(code) ||
    /certificate|handshake|\bssl\b|\btls\b/i.test(err.message)
  );
}

function unreachable(url: string, err: Error): YiwangError {
  return isTlsFailure(err)
    ? new YiwangError(
        'EDGE_ERR_PROVISION_TLS',
        `TLS to ${url} failed: ${err.message}${(err as { code?: unknown }).code ? ` (${String((err as { code?: unknown }).code)})` : ''}`,
      )
    : new YiwangError('EDGE_ERR_PROVISION', `cannot reach ${url}: ${err.message}`);
}

export interface Identity {
  gatewayId: string;
  secret: string;
  configPublicKey: Buffer;
  caPem: string;
  group: string;
  site: string;
  district: string;
  tlsUrl: string;
}

export async function claimIdentity(o: ClaimOptions): Promise<Identity> {
  const session = `prov-${randomBytes(12).toString('hex')}`;
  const keys = newX25519();
  const timeoutMs = o.timeoutMs ?? 15_000;
  const client = mqtt.connect(o.url, {
    clientId: session,
    username: PROV_USERNAME,
    clean: true,
    protocolVersion: 4,
    reconnectPeriod: 0,
    connectTimeout: timeoutMs,
    ...(o.ca ? { ca: o.ca } : {}),
  });
  try {
    const res = await new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new YiwangError('EDGE_ERR_PROVISION', `no answer from ${o.url} within ${timeoutMs} ms`)),
        timeoutMs,
      );
      const fail = (err: Error): void => {
        clearTimeout(timer);
        reject(unreachable(o.url, err));
      };
      client.on('error', fail);
      client.on('close', () => fail(new Error('connection closed')));
      client.on('message', (topic, payload) => {
        if (topic !== topics.provResponse(session)) return;
        clearTimeout(timer);
        resolve(payload);
      });
      client.on('connect', () => {
        o.onStep?.('connected');
        client.subscribe(topics.provResponse(session), { qos: 1 }, (err, granted) => {
          if (err || granted?.[0]?.qos === 128)
            return fail(err ?? new Error('the cloud refused the provisioning subscription'));
          const req = pb.ClaimRequest.encode({
            token: o.token.trim(),
            publicKey: keys.publicRaw,
            requestedId: o.requestedId ?? '',
            agentVersion: VERSION,
            hostname: hostname(),
          }).finish();
          client.publish(topics.provRequest(session), Buffer.from(req), { qos: 1 });
          o.onStep?.('requested');
        });
      });
    });
    const r = pb.ClaimResponse.decode(res);
    if (!r.ok) throw new YiwangError('EDGE_ERR_PROVISION_REFUSED', `${r.errorCode}: ${r.detail}`);
    let id: pb.GatewayIdentity;
    try {
      id = pb.GatewayIdentity.decode(
        open(keys.privateKey, Buffer.from(r.cloudPublicKey), Buffer.from(r.sealedIdentity)),
      );
    } catch (err) {
      throw new YiwangError(
        'EDGE_ERR_PROVISION',
        `the identity in the answer cannot be opened: ${(err as Error).message}`,
      );
    }
    return {
      gatewayId: id.gatewayId,
      secret: id.secret,
      configPublicKey: Buffer.from(id.configPublicKey),
      caPem: id.caPem,
      group: id.group,
      site: id.site,
      district: id.district,
      tlsUrl: id.tlsUrl,
    };
  } finally {
    client.removeAllListeners('close');
    client.removeAllListeners('error');
    client.on('error', () => {});
    await client.endAsync(true).catch(() => {});
  }
}
