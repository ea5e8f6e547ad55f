/**
 * Payload decoding in the running agent: a device's profile (layout or script, in the running
 * set's sandbox) turns bytes into readings (readings.ts), counting what decoded and what failed.
 */
import type { Reading } from '../../proto/reading.js';
import { decodeValues, valuesToReadings, type DecodeContext } from './readings.js';
import type { ScriptSandbox } from './sandbox.js';
import type { Profile } from './types.js';

export class UplinkDecoder {
  /** `sandboxes`: the running set's, by profile id (replaced in place at reloads). */
  constructor(
    private readonly sandboxes: ReadonlyMap<string, ScriptSandbox>,
    private readonly counters: { decoded: number; failed: number },
  ) {}

  /** Can the profile decode a payload (a layout or a script)? */
  static decodes(p: Profile | undefined): p is Profile {
    return p !== undefined && !!(p.layout || p.script);
  }

  /** Readings from the payload by the profile. Throws the profile's coded error. */
  decode(p: Profile, bytes: Uint8Array, ctx: DecodeContext): Reading[] {
    try {
      const readings = valuesToReadings(p, decodeValues(p, this.sandboxes.get(p.id), bytes).values, ctx);
      this.counters.decoded++;
      return readings;
    } catch (e) {
      this.counters.failed++;
      throw e;
    }
  }
}
