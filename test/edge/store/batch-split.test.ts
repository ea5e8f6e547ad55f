/**
 * A batch the cloud rejects whole is bisected (edge/store/batch-split.ts): its readings and events
 * are re-sealed as two new batches (new seq, so a new idempotency key); only a rejected batch of a
 * single item becomes a dead letter (dead-letters.ts), counted, listed, and bounded.
 */
import t from 'tap';
import { join } from 'node:path';
import { SqliteOutboxStore } from '../../../edge/store/outbox.js';
import { openEdgeDatabase } from '../../../edge/store/schema.js';
import { DeadLetters } from '../../../edge/store/dead-letters.js';
import { Counters } from '../../../edge/store/counters.js';
import { decodeBatch, encodeBatch } from '../../../proto/batch-codec.js';
import { ClockQuality, Priority, type Event } from '../../../proto/index.js';
import type { Reading } from '../../../proto/reading.js';
import { tempDir } from '../../helpers/fleet.js';

const T0 = 1_760_000_000_000;
const r = (i: number, deviceId = `dev-${i % 3}`, priority = Priority.PRIORITY_NORMAL): Reading => ({
  deviceId,
  metric: 'level',
  unit: 'm',
  ts: T0 + i * 1000,
  value: i,
  clock: ClockQuality.CLOCK_DEVICE,
  priority,
});
const ev = (id: string): Event => ({
  id,
  deviceId: 'cover-1',
  type: 'cover_open',
  severity: 2,
  tsMs: T0,
  clock: ClockQuality.CLOCK_DEVICE,
  message: id,
  attributes: {},
  active: true,
});

t.test(
  'a rejected batch is split in halves with new seqs until the bad item is alone; only it is dead-lettered',
  async (t) => {
    const path = join(tempDir(), 'edge.db');
    let store = new SqliteOutboxStore({ path, maintenanceMs: 0 });
    store.raise(ev('e-1'));
    store.raise(ev('e-2'));
    const readings = [
      ...Array.from({ length: 9 }, (_, i) => r(i)),
      r(9, 'bad'),
      r(10, 'dev-a', Priority.PRIORITY_ALARM),
      r(11, 'dev-b', Priority.PRIORITY_BULK),
    ];
    await store.append(readings);
    const first = store.sealBatch('gw', 100)!;
    t.same([first.readings, decodeBatch(first.payload).events.length], [12, 2]);

    const contains = (payload: Uint8Array): boolean => decodeBatch(payload).readings.some((x) => x.deviceId === 'bad');
    const seen: { seq: number; readings: number; events: number }[] = [];
    let acked = 0,
      ackedEvents = 0,
      restarted = false;
    const queue = [first as { seq: number; payload: Uint8Array }];
    while (queue.length) {
      const b = queue.shift()!;
      const d = decodeBatch(b.payload);
      t.equal(d.seq, b.seq, 'each batch carries its own seq');
      seen.push({ seq: b.seq, readings: d.readings.length, events: d.events.length });
      if (!contains(b.payload)) {
        acked += store.ack(b.seq);
        ackedEvents += d.events.length;
        continue;
      }
      const out = store.reject(b.seq, 'WIRE_ERR_INVALID', 'timestamp out of range', 'gw');
      if (out.kind === 'split') {
        t.equal(out.batches.length, 2);
        queue.push(...out.batches);
        if (!restarted) {
          // the split is durable: a restarted agent resends the halves
          restarted = true;
          store.close();
          store = new SqliteOutboxStore({ path, maintenanceMs: 0 });
          t.same(
            store.unackedBatches().map((x) => x.seq),
            out.batches.map((x) => x.seq),
            'the halves are the unacknowledged batches',
          );
        }
      } else {
        t.equal(out.kind, 'dead-letter');
        t.same(out, { kind: 'dead-letter', readings: 1, events: 0 });
      }
    }
    t.teardown(() => store.close());
    t.equal(acked, 11, 'every other reading was acknowledged');
    t.equal(ackedEvents, 2, 'the events rode in the first halves and were acknowledged');
    t.same(new Set(seen.map((b) => b.seq)).size, seen.length, 'every send had a new seq');
    t.ok(seen.length <= 2 * 14 - 1, `${seen.length} sends for 14 items`);
    const s = store.stats();
    t.same([s.rows, s.unackedBatches, s.deadLetters, s.dropped.rejected], [0, 0, 1, 1]);
    t.same(
      [
        s.deadLettered.batches,
        s.deadLettered.readings,
        s.counters.batches_split,
        s.counters.events_acked,
        s.counters.events_rejected ?? 0,
      ],
      [1, 1, 4, 2, 0],
    );
    const [dl] = store.deadLetters.list(10);
    t.match(dl, { errorCode: 'WIRE_ERR_INVALID', detail: 'timestamp out of range', readings: 1 });
    t.ok(
      [...dl!.content, ...dl!.refused].some((x) => x.deviceId === 'bad'),
      'it lists the device',
    );
  },
);

t.test('a rejected batch of one event is a dead letter too', async (t) => {
  const store = new SqliteOutboxStore({ path: join(tempDir(), 'edge.db'), maintenanceMs: 0 });
  t.teardown(() => store.close());
  store.raise(ev('only'));
  const b = store.sealBatch('gw', 10)!;
  t.same(store.reject(b.seq, 'WIRE_ERR_INVALID', 'bad event', 'gw'), { kind: 'dead-letter', readings: 0, events: 1 });
  t.same(
    store.reject(b.seq, 'WIRE_ERR_INVALID', 'again', 'gw'),
    { kind: 'unknown' },
    'a second rejection of it changes nothing',
  );
  t.same([store.stats().counters.events_rejected, store.stats().deadLettered.batches], [1, 1]);
  t.match(store.deadLetters.list(1)[0], { readings: 0, events: 1, content: [] });
});

t.test('the dead-letter table is bounded in rows and bytes; evictions counted', async (t) => {
  const path = join(tempDir(), 'edge.db');
  const db = openEdgeDatabase(path); // shared with the outbox, as the agent does
  const store = new SqliteOutboxStore({ path, db, maintenanceMs: 0 });
  t.teardown(() => store.close());
  const counters = new Counters(db);
  const dl = new DeadLetters(db, counters, { maxRows: 10, maxBytes: 4000 });
  const payload = encodeBatch({ gatewayId: 'gw', epoch: 1, seq: 1 }, [r(1)]);
  for (let seq = 1; seq <= 25; seq++)
    db.transaction(() => {
      dl.add(seq, payload, 1, 'WIRE_ERR_INVALID', 'x');
      counters.write();
    })();
  let s = dl.stats();
  t.ok(s.held <= 10 && s.held >= 9, `${s.held} held of at most 10`);
  t.same([s.batches, s.evicted + s.held], [25, 25]);
  t.equal(dl.list(100)[0]!.seq, 25, 'the newest are kept');
  for (let seq = 26; seq <= 40; seq++)
    db.transaction(() => {
      dl.add(seq, new Uint8Array(1000), 1, 'WIRE_ERR_DECODE', 'big');
      counters.write();
    })();
  s = dl.stats();
  t.ok(s.bytes <= 4000, `${s.bytes} bytes held ≤ 4000`);
  t.match(dl.list(1)[0], { seq: 40, decodeError: String }, 'an undecodable one is listed with why');
});
