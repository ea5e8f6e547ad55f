/** Gateway status judgement (pure): offline, degraded with each reason, online. */
import t from 'tap';
import { judge, type StatusPolicy } from '../../../cloud/health/status.js';
import type { HealthSnapshot } from '../../../cloud/health/types.js';

const p: StatusPolicy = { backlogAgeMs: 60_000, storeNearCapRatio: 0.9, diskLowRatio: 0.05, silenceMs: 90_000 };
const h = (o: Partial<HealthSnapshot> = {}): HealthSnapshot => ({
  tsMs: 0,
  receivedMs: 1000,
  uptimeS: 10,
  rssBytes: 0,
  storeRows: 0,
  storeBytes: 0,
  storeCapBytes: 0,
  oldestAgeMs: 0,
  dropped: {},
  devicesOnline: 0,
  devicesTotal: 0,
  devicesByState: {},
  camerasOnline: 0,
  camerasTotal: 0,
  camerasByState: {},
  clockSynced: true,
  configVersion: '',
  configError: '',
  agentVersion: '',
  readingsAccepted: 0,
  batchesAcked: 0,
  diskFreeBytes: 0,
  diskTotalBytes: 0,
  link: null,
  ...o,
});
const up = { sessionUp: true, lastHeardMs: 1000, connectedMs: 500, previous: null, nowMs: 2000 };

t.same(judge({ ...up, health: h() }, p), { status: 'online', reasons: [] });
t.same(judge({ ...up, sessionUp: false, health: h() }, p), { status: 'offline', reasons: [] }, 'no session: offline');
t.same(
  judge({ ...up, connectedMs: null, lastHeardMs: 1000, nowMs: 200_000, health: h() }, p).status,
  'offline',
  'a session this node did not see and silence: offline',
);
t.same(
  judge({ ...up, connectedMs: null, nowMs: 50_000, health: h() }, p).status,
  'online',
  'recently heard through another path: online',
);
t.same(judge({ ...up, health: h({ storeRows: 10, oldestAgeMs: 120_000 }) }, p).reasons, ['backlog']);
t.same(
  judge({ ...up, health: h({ storeRows: 0, oldestAgeMs: 120_000 }) }, p).reasons,
  [],
  'an old age without rows is no backlog',
);
t.same(judge({ ...up, health: h({ storeBytes: 95, storeCapBytes: 100 }) }, p).reasons, ['store_near_cap']);
t.same(judge({ ...up, health: h({ clockSynced: false }) }, p).reasons, ['clock_unsynced']);
t.same(judge({ ...up, health: h({ configError: 'bad signature' }) }, p).reasons, ['config_failed']);
t.same(judge({ ...up, health: h({ diskFreeBytes: 1, diskTotalBytes: 100 }) }, p).reasons, ['disk_low']);
t.same(judge({ ...up, health: h({ dropped: { cap: 5 } }), previous: h({ dropped: { cap: 2 } }) }, p).reasons, [
  'dropping',
]);
t.same(
  judge(
    { ...up, health: h({ uptimeS: 1, dropped: { cap: 5 } }), previous: h({ uptimeS: 100, dropped: { cap: 2 } }) },
    p,
  ).reasons,
  [],
  'counters of a restarted agent are not compared',
);
t.same(
  judge({ ...up, health: null, connectedMs: 0, nowMs: 100_000 }, p),
  { status: 'degraded', reasons: ['health_missing'] },
  'connected without Health for a silence window',
);
t.same(
  judge({ ...up, health: null, connectedMs: 0, nowMs: 10_000 }, p),
  { status: 'online', reasons: [] },
  'a fresh session gets one window',
);
