/**
 * The cloud store keeps what it quarantined, bounded: the last ingest.quarantine_keep groups per
 * gateway (older ones deleted as new ones come) and the totals per code (never deleted).
 */
import t from 'tap';
import { join } from 'node:path';
import { SqliteCloudStore } from '../../../cloud/store/sqlite-cloud-store.js';
import type { DecodedBatch } from '../../../proto/batch-codec.js';
import { tempDir } from '../../helpers/fleet.js';

t.test(
  "groups kept per gateway are bounded, totals are not; a duplicate reports the first time's quarantine",
  async (t) => {
    const path = join(tempDir('yw-qs-'), 'cloud.db');
    let store = new SqliteCloudStore(path, 0, undefined, { quarantineKeep: 3 });
    t.teardown(() => store.close());
    await store.createGateway('gw-1', 'h');
    await store.createGateway('gw-2', 'h');
    const batch = (gatewayId: string, seq: number): DecodedBatch => ({
      gatewayId,
      epoch: 1,
      seq,
      readings: [],
      events: [],
      quarantined: [
        { deviceId: `d-${seq}`, metric: 'm', code: 'WIRE_ERR_READING_RANGE', detail: 'late', count: 2 },
        { deviceId: `d-${seq}`, metric: '', code: 'WIRE_ERR_INVALID', detail: 'event: bad', count: 0, events: 1 },
      ],
    });
    for (let seq = 1; seq <= 5; seq++)
      t.match(await store.ingestBatch(batch('gw-1', seq)), { status: 'stored', readings: 0, quarantinedReadings: 2 });
    await store.ingestBatch(batch('gw-2', 1));
    const q = await store.quarantine('gw-1');
    t.same(
      q.recent.map((r) => [r.seq, r.code]),
      [
        [5, 'WIRE_ERR_INVALID'],
        [5, 'WIRE_ERR_READING_RANGE'],
        [4, 'WIRE_ERR_INVALID'],
      ],
      'the newest 3 groups',
    );
    t.same(q.totals, [
      { code: 'WIRE_ERR_INVALID', readings: 0, events: 5 },
      { code: 'WIRE_ERR_READING_RANGE', readings: 10, events: 0 },
    ]);
    t.equal((await store.quarantine('gw-2')).recent.length, 2, "another gateway's groups are not pruned by gw-1's");
    t.equal((await store.stats()).quarantined, 12);
    t.match(await store.ingestBatch(batch('gw-1', 5)), {
      status: 'duplicate',
      quarantinedReadings: 2,
      quarantined: [
        { deviceId: 'd-5', count: 2 },
        { deviceId: 'd-5', events: 1 },
      ],
    });
    t.match(
      await store.ingestBatch(batch('gw-1', 1)),
      { status: 'duplicate', quarantinedReadings: 2, quarantined: [] },
      'pruned groups: the count is still known',
    );
    // a batch with more groups than an ack lists: the store keeps and answers them capped, counts exact
    const many: DecodedBatch = {
      gatewayId: 'gw-2',
      epoch: 1,
      seq: 2,
      readings: [],
      events: [],
      quarantined: Array.from({ length: 150 }, (_, i) => ({
        deviceId: `m-${i}`,
        metric: 'v',
        code: 'WIRE_ERR_READING_VALUE',
        detail: 'NaN',
        count: 1,
      })),
    };
    const r = await store.ingestBatch(many);
    t.equal(r.quarantined.length, 101);
    t.match(r.quarantined[100], { deviceId: '', code: 'WIRE_ERR_READING_VALUE', count: 50, detail: /50 more groups/ });
    t.equal(r.quarantinedReadings, 150);
    t.equal((await store.quarantine('gw-2')).recent.length, 3, 'and keeps only quarantine_keep of them');
    // an older database (batches without the quarantined column) is migrated on open
    await store.close();
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(path);
    db.exec(
      'CREATE TABLE b2 AS SELECT gateway_id, epoch, seq, received_ms, readings FROM batches; DROP TABLE batches; ALTER TABLE b2 RENAME TO batches;',
    );
    db.close();
    store = new SqliteCloudStore(path, 0);
    t.match(await store.ingestBatch(batch('gw-1', 6)), { status: 'stored', quarantinedReadings: 2 });
  },
);
