/** What every polled serial device shares: identity, polling figures, and how readings are made. */
import { YiwangError, isYiwangError } from '../../../common/errors.js';
import type { Reading, ReadingValue } from '../../../proto/reading.js';
import { type ClockQuality, Priority } from '../../../proto/index.js';
import type { Logger } from '../../../common/log.js';
import type { SerialBinding } from './binding.js';
import type { PollContext } from './scheduler.js';

export interface SerialDeviceSpec {
  /** Device id used in readings (defaults to `<protocol>:<address>`). */
  id: string;
  bus: string;
  /** Modbus unit id 1..247, or the meter address (12 / 14 BCD digits). */
  address: string;
  intervalMs: number;
  /** Scheduling priority on the bus: 0 high, 1 normal, 2 low. */
  pollPriority: number;
  /** Delivery class of its readings. */
  readingPriority: Priority;
  binding: SerialBinding;
  /** Found by broadcast address read rather than listed. */
  discovered?: boolean;
  /** The firmware profile its binding comes from ("vendor/model"); its readings are checked by it. */
  profile?: string;
}

export const POLL_PRIORITIES: Readonly<Record<string, number>> = { high: 0, normal: 1, low: 2 };
export const READING_PRIORITIES: Readonly<Record<string, Priority>> = {
  alarm: Priority.PRIORITY_ALARM,
  normal: Priority.PRIORITY_NORMAL,
  bulk: Priority.PRIORITY_BULK,
};

/** Stamps readings taken now with the gateway clock. */
export class ReadingFactory {
  constructor(
    private readonly spec: SerialDeviceSpec,
    private readonly clock: () => ClockQuality,
  ) {}
  make(metric: string, unit: string, value: ReadingValue, ts = Date.now()): Reading {
    return {
      deviceId: this.spec.id,
      metric,
      unit,
      value,
      ts,
      clock: this.clock(),
      priority: this.spec.readingPriority,
    };
  }
}

/**
 * Maps a meter codec error to the serial error that drives retries and device state:
 * abnormal replies → REMOTE (the meter answered), checksum → CHECKSUM, the rest → REPLY.
 */
export function meterError(e: unknown, what: string): YiwangError {
  if (!isYiwangError(e)) return new YiwangError('SERIAL_ERR_REPLY', `${what}: ${(e as Error).message}`, { cause: e });
  if (e.code.startsWith('SERIAL_ERR_')) return e;
  if (/_ERR_REMOTE/.test(e.code))
    return new YiwangError('SERIAL_ERR_REMOTE', `${what}: ${e.message} [${e.code}]`, { cause: e });
  if (/_ERR_CHECKSUM$/.test(e.code))
    return new YiwangError('SERIAL_ERR_CHECKSUM', `${what}: ${e.message} [${e.code}]`, { cause: e });
  return new YiwangError('SERIAL_ERR_REPLY', `${what}: ${e.message} [${e.code}]`, { cause: e });
}

/**
 * One request of a poll through `ctx.request` (retries per bus policy); a request the device
 * refuses (Modbus exception, abnormal meter reply: SERIAL_ERR_REMOTE) is logged and yields
 * undefined — the device answered, so the poll goes on with the rest of the binding.
 */
export async function unlessRefused<T>(
  ctx: PollContext,
  what: string,
  fn: () => Promise<T>,
  log: Logger,
  deviceId: string,
  refused: string,
): Promise<T | undefined> {
  try {
    return await ctx.request(what, fn);
  } catch (e) {
    if (isYiwangError(e, 'SERIAL_ERR_REMOTE')) {
      log.warn({ deviceId, code: e.code, err: e.message }, refused);
      return undefined;
    }
    throw e;
  }
}
