/**
 * The local alarm history (issue 17, item 11): every raised event is kept after the cloud acked it
 * (the outbox row is gone), listed newest first with since/limit/device filters, bounded in rows
 * with the oldest deleted and counted.
 */
import t from 'tap';
import { join } from 'node:path';
import { SqliteOutboxStore } from '../../../edge/store/outbox.js';
import { EventHistory } from '../../../edge/store/event-history.js';
import { Counters } from '../../../edge/store/counters.js';
import { openEdgeDatabase } from '../../../edge/store/schema.js';
import { ClockQuality, pb, type Event } from '../../../proto/index.js';
import { tempDir } from '../../helpers/fleet.js';

const ev = (deviceId: string, type: string, tsMs: number, active = true): Event => ({
  id: '',
  deviceId,
  type,
  severity: pb.Event.Severity.CRITICAL,
  tsMs,
  clock: ClockQuality.CLOCK_GATEWAY_SYNCED,
  message: `${type} ${active ? 'raised' : 'cleared'}`,
  attributes: { metric: 'temperature' },
  active,
});

t.test('events stay in the history after the batch that carried them is acknowledged', async (t) => {
  const store = new SqliteOutboxStore({ path: join(tempDir('yw-evh-'), 'edge.db'), maxBytes: 64 * 2 ** 20 });
  t.teardown(() => store.close());
  store.raise(ev('th-1', 'overheat', 1000));
  store.raise(ev('th-1', 'overheat', 2000, false));
  store.raise(ev('th-2', 'smoke', 3000));
  let s = store.stats();
  t.match(s, { rows: 0, pendingEvents: 3, batchedEvents: 0, pendingRows: 3 }, 'events wait apart from readings');
  const b = store.sealBatch('gw', 100)!;
  s = store.stats();
  t.match(s, { pendingEvents: 0, batchedEvents: 3, unackedBatches: 1, pendingRows: 0 });
  store.ack(b.seq);
  s = store.stats();
  t.match(s, { pendingEvents: 0, batchedEvents: 0, unackedBatches: 0 });
  t.match(s.eventHistory, { held: 3, raised: 3, evicted: 0, newestTs: 3000 });
  const all = store.eventHistory.list();
  t.same(
    all.map((e) => [e.deviceId, e.type, e.severity, e.active, e.tsMs]),
    [
      ['th-2', 'smoke', 'critical', true, 3000],
      ['th-1', 'overheat', 'critical', false, 2000],
      ['th-1', 'overheat', 'critical', true, 1000],
    ],
    'newest first',
  );
  t.match(all[2], { message: 'overheat raised', attributes: { metric: 'temperature' }, id: /^[0-9a-f-]{36}$/ });
  t.same(
    store.eventHistory.list({ sinceMs: 2000 }).map((e) => e.tsMs),
    [3000, 2000],
    'since',
  );
  t.same(
    store.eventHistory.list({ limit: 1 }).map((e) => e.tsMs),
    [3000],
    'limit',
  );
  t.same(
    store.eventHistory.list({ deviceId: 'th-1' }).map((e) => e.tsMs),
    [2000, 1000],
    'device',
  );
});

t.test('bounded: past the row cap the oldest go, down to 90 %, counted', async (t) => {
  const db = openEdgeDatabase(join(tempDir('yw-evh-'), 'edge.db'));
  t.teardown(() => db.close());
  const counters = new Counters(db);
  const h = new EventHistory(db, counters, { maxRows: 10, maxBytes: 1 << 20 });
  for (let i = 1; i <= 11; i++)
    db.transaction(() => {
      h.add(ev('d', 'tick', i), i);
      counters.write();
    })();
  t.match(h.stats(), { held: 9, evicted: 2, capRows: 10 });
  t.same(
    h.list({ limit: 100 }).map((e) => e.tsMs),
    [11, 10, 9, 8, 7, 6, 5, 4, 3],
    'the oldest two are gone, the newest kept',
  );
  const big = new EventHistory(db, counters, { maxRows: 1000, maxBytes: 3000 });
  db.transaction(() => {
    big.add({ ...ev('d', 'big', 100), message: 'x'.repeat(1500) }, 100);
    counters.write();
  })();
  t.ok(big.stats().bytes <= 3000, 'the byte cap holds too');
  t.equal(big.list({ limit: 1 })[0]!.type, 'big', 'the newest stays');
});
