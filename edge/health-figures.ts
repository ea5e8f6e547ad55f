/** Extra Health figures of the agent: disk space of the store's file system, camera counts, faults kept. */
import { statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import type { OutboxStats } from './store/outbox-contract.js';

/** Health 40–42: readings quarantined (edge and cloud) in total and by reason, batches dead-lettered (since the store was created). */
export function faultFigures(s: OutboxStats): {
  quarantinedReadings: number;
  deadLetterBatches: number;
  quarantinedByReason: Record<string, number>;
} {
  return {
    quarantinedReadings: s.quarantine.readings,
    deadLetterBatches: s.deadLettered.batches,
    quarantinedByReason: { ...s.quarantine.byReason },
  };
}

export function diskFigures(storePath: string): { diskFreeBytes: number; diskTotalBytes: number } {
  try {
    const s = statfsSync(dirname(storePath));
    return { diskFreeBytes: s.bavail * s.bsize, diskTotalBytes: s.blocks * s.bsize };
  } catch {
    return { diskFreeBytes: 0, diskTotalBytes: 0 };
  }
}

interface CountingAdapter {
  name?: string;
  counts?: () => { total: number; online: number } & Record<string, number>;
}

/** Camera totals from the cameras adapter when one runs (edge/southbound/onvif). */
export function cameraFigures(adapters: readonly unknown[]): {
  camerasTotal: number;
  camerasOnline: number;
  camerasByState: Record<string, number>;
} {
  const cams = adapters.find(
    (a): a is CountingAdapter =>
      (a as CountingAdapter).name === 'cameras' && typeof (a as CountingAdapter).counts === 'function',
  );
  if (!cams?.counts) return { camerasTotal: 0, camerasOnline: 0, camerasByState: {} };
  const { total, online, ...byState } = cams.counts();
  return {
    camerasTotal: total,
    camerasOnline: online,
    camerasByState: Object.fromEntries(Object.entries(byState).filter(([, v]) => typeof v === 'number' && v > 0)),
  };
}
