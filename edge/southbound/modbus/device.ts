/** A Modbus RTU slave polled on a bus: its binding's registers read in blocks and decoded into readings. */
import type { Logger } from '../../../common/log.js';
import type { Reading } from '../../../proto/reading.js';
import type { ClockQuality } from '../../../proto/index.js';
import type { ModbusBinding } from '../serial/binding.js';
import { ReadingFactory, unlessRefused, type SerialDeviceSpec } from '../serial/device.js';
import type { PollContext, PolledDevice } from '../serial/scheduler.js';
import type { ModbusLink } from './link.js';
import { decodeBlock, planBlocks, type ReadBlock } from './registers.js';

export class ModbusDevice implements PolledDevice {
  readonly id: string;
  readonly priority: number;
  readonly intervalMs: number;
  private readonly unit: number;
  private readonly blocks: ReadBlock[];
  private readonly readings: ReadingFactory;

  constructor(
    spec: SerialDeviceSpec & { binding: ModbusBinding },
    private readonly link: ModbusLink,
    clock: () => ClockQuality,
    private readonly log: Logger,
  ) {
    this.id = spec.id;
    this.priority = spec.pollPriority;
    this.intervalMs = spec.intervalMs;
    this.unit = Number(spec.address);
    this.blocks = planBlocks(spec.binding);
    this.readings = new ReadingFactory(spec, clock);
  }

  async poll(ctx: PollContext): Promise<Reading[]> {
    const out: Reading[] = [];
    for (const b of this.blocks) {
      // A refused block (exception) is the binding's fault: skip it, the device is alive.
      const data = await unlessRefused(
        ctx,
        `${this.id} fc${b.function}@${b.address}`,
        () => this.link.read(this.unit, b.function, b.address, b.count),
        this.log,
        this.id,
        'register block refused',
      );
      if (data === undefined) continue;
      const ts = Date.now();
      for (const v of decodeBlock(b, data)) out.push(this.readings.make(v.binding.metric, v.binding.unit, v.value, ts));
    }
    return out;
  }
}
