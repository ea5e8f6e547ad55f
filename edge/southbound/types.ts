/** Contracts between device-facing adapters and the rest of the agent. */
import type { Reading } from '../../proto/reading.js';
import type { Refusal } from '../store/reading-check.js';

/**
 * Where adapters hand decoded readings; the promise resolves once they are durably stored.
 * `uplinkKey` identifies the protocol exchange (e.g. CoAP peer + message id): a repeated key is
 * answered 'duplicate' and not stored again, even across agent restarts. `refused` are the
 * uplink's records the adapter refused one by one (quarantined in the same commit).
 */
export interface UplinkSink {
  accept(readings: Reading[], uplinkKey?: string, refused?: readonly Refusal[]): Promise<'stored' | 'duplicate'>;
}

/** A device-facing protocol server or poller. Errors caused by devices are logged, never thrown out. */
export interface SouthboundAdapter {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}
