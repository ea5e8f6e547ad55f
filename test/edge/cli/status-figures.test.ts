/**
 * Every figure of `yiwang-edge status` can be explained from the screen (issue 17, item 12). The
 * field trial: with the cloud down the old screen said "63 readings … (69 unsent …)" — 69 was
 * unsent readings plus unsent events, and nothing said so. Now the backlog is one total with its
 * parts, and the other figures say what they count and since when.
 */
import t from 'tap';
import { render, backlog } from '../../../edge/cli/status.js';
import type { AgentStatus } from '../../../edge/api/status.js';

const NOW = Date.parse('2025-06-01T08:00:00Z');

function status(store: Partial<AgentStatus['store']>): AgentStatus {
  const none = { held: 0, bytes: 0, batches: 0, readings: 0, evicted: 0, capRows: 10_000, capBytes: 16 << 20 };
  return {
    gatewayId: 'gw-trial',
    version: '0.1.0',
    uptimeS: 5400,
    site: 'Jiefang Rd 12',
    provisioned: true,
    configVersion: '',
    uplink: {
      state: 'offline',
      url: 'mqtts://cloud:8883',
      lastAckAt: NOW - 600_000,
      lastError: null,
      batchesSent: 12,
      batchesAcked: 10,
      resends: 3,
      duplicates: 0,
      rejected: 0,
      readingsAcked: 480,
      timeouts: 2,
      split: 0,
      deadLettered: 0,
      quarantinedByCloud: 0,
      revokedRefusals: 0,
      batchSize: 250,
      drainRate: 0,
      bytesToday: {},
      budgetExhausted: false,
    } as AgentStatus['uplink'],
    clock: { synced: true, steps: 1, source: 'chrony' },
    store: {
      path: '/var/lib/yiwang/edge.db',
      epoch: 1,
      rows: 0,
      bytes: 0,
      capBytes: 64 << 20,
      byPriority: { alarm: { rows: 0, bytes: 0 }, normal: { rows: 0, bytes: 0 }, bulk: { rows: 0, bytes: 0 } },
      pendingRows: 0,
      batchedRows: 0,
      pendingEvents: 0,
      batchedEvents: 0,
      unackedBatches: 0,
      oldestTs: null,
      oldestAgeMs: null,
      heldUnsynced: 0,
      dbBytes: 1 << 20,
      deadLetters: 0,
      deadLettered: none,
      quarantine: {
        readings: 0,
        fromEdge: 0,
        fromCloud: 0,
        byReason: {},
        entries: 0,
        bytes: 0,
        capEntries: 10_000,
        capBytes: 4 << 20,
        evicted: 0,
      },
      dropped: { cap: 0, ttl: 0, rejected: 0 },
      eventHistory: {
        held: 6,
        bytes: 2000,
        capRows: 10_000,
        capBytes: 8 << 20,
        evicted: 0,
        raised: 6,
        newestTs: NOW - 300_000,
      },
      counters: {},
      ...store,
    } as AgentStatus['store'],
    coap: {
      port: 5683,
      uplinks: 40,
      readings: 63,
      rejected: 1,
      storeErrors: 0,
      duplicates: 0,
      rejectedBy: {},
      logSuppressed: 0,
    } as unknown as AgentStatus['coap'],
    devices: [],
    deviceStates: { online: 3, silent: 1, waiting: 1 },
    cameras: { total: 0, online: 0, byState: {} },
    disk: { path: '/var/lib/yiwang', freeBytes: 512 << 20, totalBytes: 1024 << 20 },
    errorsLastHour: 1,
  };
}

t.test('the field trial figures: 63 readings and 69 unsent are one total with its parts', async (t) => {
  // cloud down, nothing in flight: 63 readings and 6 events not sent; pendingRows (69) counts both
  const s = status({
    rows: 63,
    bytes: 9000,
    pendingRows: 69,
    batchedRows: 0,
    pendingEvents: 6,
    batchedEvents: 0,
    unackedBatches: 0,
    oldestAgeMs: 120_000,
  });
  t.equal(
    backlog(s.store),
    '69 waiting for the cloud = 63 readings + 6 events; 69 not sent yet + 0 sent, awaiting ack (0 batches); oldest reading 120 s old',
  );
  const screen = render(s, NOW);
  t.match(screen, /^backlog +69 waiting for the cloud = 63 readings \+ 6 events; 69 not sent yet/m);
  t.notMatch(screen, /\b69 unsent\b/, 'no unexplained second figure');
});

t.test('batches in flight: readings and events split into unsent and awaiting ack', async (t) => {
  const s = status({
    rows: 63,
    pendingRows: 45,
    batchedRows: 20,
    pendingEvents: 2,
    batchedEvents: 4,
    unackedBatches: 1,
    oldestAgeMs: 5000,
  });
  t.equal(
    backlog(s.store),
    '69 waiting for the cloud = 63 readings + 6 events; 45 not sent yet + 24 sent, awaiting ack (1 batch); oldest reading 5 s old',
  );
  t.equal(
    backlog(status({}).store),
    '0 waiting for the cloud = 0 readings + 0 events; 0 not sent yet + 0 sent, awaiting ack (0 batches); no reading held',
  );
});

t.test('every other figure says what it counts and since when', async (t) => {
  const screen = render(status({ rows: 63, bytes: 3 << 20, dropped: { cap: 7, ttl: 2, rejected: 1 } }), NOW);
  const line = (key: string): string => new RegExp(`^${key} +(.*)$`, 'm').exec(screen)?.[1] ?? '';
  t.match(line('gateway'), /\(agent 0\.1\.0, up 90 min\)$/);
  t.equal(
    line('store'),
    'readings held take 3.0 MiB of the 64.0 MiB cap (events are not counted against it); store file 1.0 MiB',
  );
  t.equal(
    line('dropped'),
    'readings lost since the store was created: 7 past the cap (oldest first), 2 older than store.max_age_s, 1 rejected by the cloud',
  );
  t.equal(
    line('delivered'),
    'since the agent started: 480 readings acknowledged in 10 batches (3 resends, 2 ack timeouts); 0 readings/s over the last minute; next batch up to 250 readings',
  );
  t.equal(
    line('devices'),
    '3 online, 1 silent, 1 waiting (online: heard within the last hour; silent: not since; waiting: pre-registered, never heard)  (coap port 5683 since the agent started: 40 uplinks, 1 rejected)',
  );
  t.equal(line('events'), '6 raised since the store was created, newest 5 min ago  (yiwang-edge events)');
  t.equal(line('quarantined'), '0 readings refused one by one, 0 batches dead-lettered since the store was created');
  t.equal(line('disk'), '512.0 MiB free of 1024.0 MiB (50 % free) at /var/lib/yiwang');
  t.equal(line('clock'), 'synchronised (chrony), 1 clock step since the agent started');
  t.equal(line('errors'), '1 error line logged in the last hour (yiwang-edge logs --level error)');
});
