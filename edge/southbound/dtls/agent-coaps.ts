/**
 * The agent's composition of coaps (issue 21): from the `[coap]` options, the coaps listener (when
 * coap.dtls_enabled) as a southbound adapter started right after the CoAP server (it feeds that
 * server's socket), and the identity policy (DTLS identity binding, coap.nosec) the uplink server
 * and the LwM2M Register consult. docs/reference/dtls.md ("In the agent").
 */
import { YiwangError } from '../../../common/errors.js';
import type { Logger } from '../../../common/log.js';
import type { SouthboundAdapter } from '../types.js';
import { CoapsListener, type CoapsListenerOptions, type CoapsStats } from './coaps-listener.js';
import { IdentityPolicy, NOSEC_MODES, type IdentityRefusals, type NosecMode } from './identity-policy.js';
import type { PskDirectory } from './psk-directory.js';

/** The `[coap]` options read here (edge/config.ts). */
export interface CoapsConfig {
  host: string;
  dtls_enabled: boolean;
  dtls_port: number;
  dtls_max_sessions: number;
  dtls_max_session_bytes: number;
  dtls_cid: boolean;
  dtls_handshake_timeout_ms: number;
  dtls_session_idle_s: number;
  dtls_resumption: boolean;
  dtls_resumption_lifetime_s: number;
  nosec: string;
}

/** GET /v1/status `coaps` (when coap.dtls_enabled). */
export type CoapsStatus = CoapsStats & { nosec: NosecMode; refused: IdentityRefusals };

/** coap.nosec with "auto" resolved: open without DTLS, known-devices with it. */
export function nosecMode(c: Pick<CoapsConfig, 'dtls_enabled' | 'nosec'>): NosecMode {
  if (c.nosec === 'auto') return c.dtls_enabled ? 'known-devices' : 'open';
  if (!(NOSEC_MODES as readonly string[]).includes(c.nosec))
    throw new YiwangError('CONFIG_ERR_INVALID', `coap.nosec must be auto, ${NOSEC_MODES.join(', ')}; not ${c.nosec}`);
  return c.nosec as NosecMode;
}

export class CoapsAdapter implements SouthboundAdapter {
  readonly name = 'coaps';
  constructor(
    readonly listener: CoapsListener,
    /** The CoAP server's socket once it listens. */
    private readonly coapSocket: () => unknown,
  ) {}

  async start(): Promise<void> {
    const sock = this.coapSocket();
    if (!sock) throw new Error('the CoAP server must start before the coaps listener');
    await this.listener.start();
    this.listener.attach(sock as Parameters<CoapsListener['attach']>[0]);
  }

  stop(): Promise<void> {
    return this.listener.stop();
  }
}

export interface CoapsParts {
  /** The policy the uplink server and the LwM2M Register consult; undefined with nosec open and no DTLS. */
  policy: IdentityPolicy | undefined;
  /** The coaps adapter, when coap.dtls_enabled: start it right after the CoAP server. */
  adapter: CoapsAdapter | undefined;
  status(): CoapsStatus | undefined;
}

export function coapsParts(
  c: CoapsConfig,
  deps: {
    directory: PskDirectory | undefined;
    isKnownDevice(deviceId: string): boolean;
    coapSocket: () => unknown;
    log: Logger;
    /** coap.log_per_minute */
    logPerMinute?: number;
    /** Further DtlsServer options (tests: the clock). */
    dtls?: CoapsListenerOptions['dtls'];
  },
): CoapsParts {
  const nosec = nosecMode(c);
  if (c.dtls_enabled && !deps.directory)
    throw new YiwangError('CONFIG_ERR_INVALID', 'coap.dtls_enabled needs the device keys (a PSK directory)');
  const listener = c.dtls_enabled
    ? new CoapsListener({
        host: c.host,
        port: c.dtls_port,
        directory: deps.directory!,
        log: deps.log,
        maxSessions: c.dtls_max_sessions,
        maxSessionBytes: c.dtls_max_session_bytes,
        cid: c.dtls_cid,
        handshakeTimeoutMs: c.dtls_handshake_timeout_ms,
        sessionIdleMs: c.dtls_session_idle_s * 1000,
        // the cache's count and byte bounds follow the table's (the server's defaults); 0 = off
        ...(c.dtls_resumption ? {} : { maxResumptions: 0 }),
        resumptionLifetimeMs: c.dtls_resumption_lifetime_s * 1000,
        ...(deps.dtls ? { dtls: deps.dtls } : {}),
      })
    : undefined;
  const policy =
    listener || nosec !== 'open'
      ? new IdentityPolicy({
          nosec,
          directory: deps.directory,
          identityOf: (address) => listener?.identityOf(address),
          isKnownDevice: deps.isKnownDevice,
          log: deps.log,
          ...(deps.logPerMinute !== undefined ? { logPerMinute: deps.logPerMinute } : {}),
        })
      : undefined;
  return {
    policy,
    adapter: listener ? new CoapsAdapter(listener, deps.coapSocket) : undefined,
    status: () => (listener && policy ? { ...listener.stats(), nosec, refused: { ...policy.refused } } : undefined),
  };
}
