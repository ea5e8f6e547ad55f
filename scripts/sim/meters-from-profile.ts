/**
 * Simulated devices that play a firmware profile's test vector: the vector's bytes are the
 * device's replies to one poll (docs/reference/profiles.md, serial vectors), so they give the
 * register contents of a Modbus unit or the data identifiers of a meter. Put on a pty with
 * ModbusSlaveSim / MeterBusSim, the device answers the agent's poll with the same values, and
 * the agent's readings must equal the vector's readings (tests, demo).
 */
import * as cjt from '../../edge/southbound/cjt188/codec.js';
import { CJT188_FRAMING } from '../../edge/southbound/cjt188/poller.js';
import * as dlt from '../../edge/southbound/dlt645/codec.js';
import { DLT645_FRAMING } from '../../edge/southbound/dlt645/poller.js';
import { planBlocks } from '../../edge/southbound/modbus/registers.js';
import type { ModbusBinding } from '../../edge/southbound/serial/binding.js';
import { meterFrames, type MeterFraming } from '../../edge/southbound/serial/meter-poll.js';
import type { SimCjtMeter, SimDltMeter } from './meters.js';
import type { SimUnit } from './modbus-slave.js';

/** The Modbus unit (id and registers) whose replies to the binding's poll are `replies`. */
export function modbusUnitFromReplies(b: ModbusBinding, replies: Uint8Array): { unit: number; sim: SimUnit } {
  const sim = {
    holding: new Map<number, number>(),
    input: new Map<number, number>(),
    coils: new Map<number, boolean>(),
    discrete: new Map<number, boolean>(),
  };
  const tables = { 1: sim.coils, 2: sim.discrete, 3: sim.holding, 4: sim.input } as const;
  let off = 0;
  let unit = 0;
  for (const block of planBlocks(b)) {
    const [id, fn, n] = [replies[off], replies[off + 1], replies[off + 2]];
    if (id === undefined || fn === undefined || n === undefined)
      throw new Error(`replies end at byte ${off}, before the reply to the block at ${block.address}`);
    unit = id;
    if (fn & 0x80) {
      off += 5;
      continue;
    } // refused block: the unit has no such registers
    const data = replies.subarray(off + 3, off + 3 + n);
    off += 5 + n;
    for (let k = 0; k < block.count; k++) {
      if (block.function <= 2)
        (tables[block.function] as Map<number, boolean>).set(
          block.address + k,
          (((data[k >> 3] ?? 0) >> (k & 7)) & 1) === 1,
        );
      else
        (tables[block.function] as Map<number, number>).set(
          block.address + k,
          ((data[2 * k] ?? 0) << 8) | (data[2 * k + 1] ?? 0),
        );
    }
  }
  return { unit, sim };
}

function replyFrames<F>(bytes: Uint8Array, f: MeterFraming<F>): F[] {
  return meterFrames(bytes, f).frames.flatMap((x) => ('frame' in x && f.fromMeter(x.frame) ? [x.frame] : []));
}

/** The DL/T 645 meter (address and values by data identifier) whose replies are `replies`. */
export function dlt645MeterFromReplies(replies: Uint8Array): { address: string; meter: SimDltMeter } {
  const meter: SimDltMeter = { values: new Map() };
  let address = '';
  for (const frame of replyFrames(replies, DLT645_FRAMING)) {
    const r = dlt.decodeResponse(frame);
    if (r.kind !== 'data' && r.kind !== 'exception') continue;
    address = r.address;
    if (r.kind === 'data') meter.values.set(r.di, Object.fromEntries(r.values.map((v) => [v.name, v.value])));
  }
  return { address, meter };
}

/** The CJ/T 188 meter (address, type and content by data identifier) whose replies are `replies`. */
export function cjt188MeterFromReplies(replies: Uint8Array): { address: string; meter: SimCjtMeter } {
  const meter: SimCjtMeter = { meterType: 0x10, values: new Map() };
  let address = '';
  for (const frame of replyFrames(replies, CJT188_FRAMING)) {
    const r = cjt.decodeResponse(frame);
    address = r.address;
    meter.meterType = frame.meterType;
    // Status bits (valve, battery_low) are re-encoded from the status word; booleans are not content.
    if (r.kind === 'data')
      meter.values.set(
        r.di,
        Object.fromEntries(r.values.flatMap((v) => (typeof v.value === 'boolean' ? [] : [[v.name, v.value]]))),
      );
  }
  return { address, meter };
}
