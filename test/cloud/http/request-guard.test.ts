/**
 * RequestGuard's failed-authentication table: throttles an address past http.auth_failures_per_min
 * within its minute, and stays within AUTH_TABLE_MAX addresses (expired windows forgotten first,
 * then the oldest window).
 */
import t from 'tap';
import { AUTH_TABLE_MAX, RequestGuard } from '../../../cloud/http/request-guard.js';

const guard = (perMin: number): RequestGuard =>
  new RequestGuard({ listenHost: '127.0.0.1', allowedHosts: [], authFailuresPerMin: perMin });
const throttled = (g: RequestGuard, addr: string, now: number): boolean => {
  try {
    g.checkAuthThrottle(addr, now);
    return false;
  } catch (err) {
    return (err as { code?: string }).code === 'CLOUD_ERR_RATE_LIMITED';
  }
};

t.test('an address is throttled past the limit until its minute is over', async (t) => {
  const g = guard(3);
  for (let i = 0; i < 3; i++) {
    t.notOk(throttled(g, 'a', 1000 + i));
    g.authFailed('a', 1000 + i);
  }
  t.ok(throttled(g, 'a', 1003), 'the fourth attempt is refused');
  t.notOk(throttled(g, 'b', 1003), 'another address is not');
  t.ok(throttled(g, 'a', 60_999), 'still within the minute');
  t.notOk(throttled(g, 'a', 61_000), 'the minute is over');
  t.equal(g.refused.auth_throttled, 2);
});

t.test('the table is bounded: expired windows go first, then the oldest', async (t) => {
  const g = guard(1);
  const half = AUTH_TABLE_MAX / 2;
  for (let i = 0; i < half; i++) g.authFailed(`old-${i}`, 0);
  for (let i = 0; i < half; i++) g.authFailed(`new-${i}`, 30_000);
  t.equal(g.trackedAddresses, AUTH_TABLE_MAX);
  g.authFailed('late', 60_000);
  t.equal(g.trackedAddresses, half + 1, 'every expired window was forgotten, the live ones kept');
  t.ok(throttled(g, 'new-0', 60_000) && throttled(g, 'late', 60_000));
  for (let i = 0; g.trackedAddresses < AUTH_TABLE_MAX; i++) g.authFailed(`more-${i}`, 60_001);
  g.authFailed('one-more', 60_002);
  t.equal(g.trackedAddresses, AUTH_TABLE_MAX, 'with no window expired, the table stays at its bound');
  t.notOk(throttled(g, 'new-0', 60_002), 'by forgetting the oldest window');
  t.ok(throttled(g, 'new-1', 60_002) && throttled(g, 'one-more', 60_002));
});
