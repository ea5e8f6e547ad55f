/** Readings stamped while the gateway clock is unsynchronised: held, then corrected at sync. */
import t from 'tap';
import { join } from 'node:path';
import { writeFileSync, rmSync } from 'node:fs';
import { SqliteOutboxStore } from '../../../edge/store/outbox.js';
import { GatewayClock } from '../../../edge/clock.js';
import { decodeBatch } from '../../../proto/batch-codec.js';
import { ClockQuality, Priority } from '../../../proto/index.js';
import { silentLogger } from '../../../common/log.js';
import { tempDir } from '../../helpers/fleet.js';

const WRONG = Date.UTC(2000, 0, 1); // an RTC that lost its time

t.test('held while unsynced, corrected from the monotonic clock once synced', async (t) => {
  let synced = false;
  const store = new SqliteOutboxStore({
    path: join(tempDir(), 'edge.db'),
    clockSynced: () => synced,
    maintenanceMs: 0,
  });
  t.teardown(() => store.close());
  const takenAt: number[] = [];
  for (let i = 0; i < 3; i++) {
    takenAt.push(Date.now());
    await store.append([
      {
        deviceId: 'd',
        metric: 'm',
        unit: '',
        ts: WRONG + i * 1000,
        value: i,
        clock: ClockQuality.CLOCK_GATEWAY_UNSYNCED,
        priority: Priority.PRIORITY_NORMAL,
      },
    ]);
    await new Promise((r) => setTimeout(r, 50)); // readings 50 ms apart
  }
  await store.append([
    {
      deviceId: 'd',
      metric: 'dev_time',
      unit: '',
      ts: 1_700_000_000_000,
      value: 1,
      clock: ClockQuality.CLOCK_DEVICE,
      priority: Priority.PRIORITY_NORMAL,
    },
  ]);
  const b1 = store.sealBatch('gw', 100)!;
  t.same(
    decodeBatch(b1.payload).readings.map((r) => r.metric),
    ['dev_time'],
    'device-stamped readings go; unsynced ones wait',
  );
  t.equal(store.stats().heldUnsynced, 3);
  synced = true;
  t.equal(store.correctUnsynced(Date.now()), 3);
  const got = decodeBatch(store.sealBatch('gw', 100)!.payload).readings.sort((a, b) => a.ts - b.ts);
  t.same(
    got.map((r) => r.clock),
    [3, 3, 3].map(() => ClockQuality.CLOCK_GATEWAY_CORRECTED),
  );
  got.forEach((r, i) => {
    t.ok(
      Math.abs(r.ts - takenAt[i]!) < 40,
      `reading ${i} corrected to within 40 ms of when it was taken (${r.ts - takenAt[i]!} ms)`,
    );
  }); // three of each (checked above)
  t.ok(got[1]!.ts - got[0]!.ts >= 45, 'spacing kept');
});

t.test('after the hold time, unsynced readings are sent flagged', async (t) => {
  const store = new SqliteOutboxStore({
    path: join(tempDir(), 'edge.db'),
    clockSynced: () => false,
    unsyncedHoldMs: 100,
    maintenanceMs: 0,
  });
  t.teardown(() => store.close());
  await store.append([
    {
      deviceId: 'd',
      metric: 'm',
      unit: '',
      ts: WRONG,
      value: 1,
      clock: ClockQuality.CLOCK_GATEWAY_UNSYNCED,
      priority: Priority.PRIORITY_NORMAL,
    },
  ]);
  t.equal(store.sealBatch('gw', 10), undefined);
  await new Promise((r) => setTimeout(r, 150)); // the hold time itself
  const b = store.sealBatch('gw', 10)!;
  t.equal(decodeBatch(b.payload).readings[0]?.clock, ClockQuality.CLOCK_GATEWAY_UNSYNCED);
});

t.test('file: sync source and step detection', async (t) => {
  const flag = join(tempDir(), 'synced');
  const clock = new GatewayClock({ source: `file:${flag}`, checkMs: 1000, stepThresholdMs: 2000, log: silentLogger() });
  t.equal(clock.synced, false);
  t.equal(clock.quality(), ClockQuality.CLOCK_GATEWAY_UNSYNCED);
  let fired = 0;
  clock.onSync(() => fired++);
  writeFileSync(flag, '');
  clock.check();
  t.equal(clock.synced, true);
  t.equal(fired, 1);
  rmSync(flag);
  clock.check();
  t.equal(clock.synced, false);
  t.equal(
    new GatewayClock({ source: 'always', checkMs: 1000, stepThresholdMs: 2000, log: silentLogger() }).synced,
    true,
  );
});
