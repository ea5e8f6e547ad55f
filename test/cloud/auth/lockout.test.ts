/**
 * Sign-in lockout and back-off with a controllable clock: 5 failures in 15 min lock an account
 * for 15 min, doubling per further lock up to 24 h, forgotten a day after the last lock; success
 * clears failures, not the lock count; an administrator's unlock; per-address back-off (0 for 3
 * failures, then 1 s doubling up to 30 s) and the per-minute cap; maps bounded with the oldest
 * evicted; a name that is no account behaves exactly like one that is.
 */
import t from 'tap';
import { cloudHttpStatus, registerCloudErrors } from '../../../cloud/error-catalog.js';
import { LoginThrottle, type LoginThrottleOptions } from '../../../cloud/auth/lockout.js';

registerCloudErrors();
const MIN = 60_000;
const HOUR = 60 * MIN;

function setup(options: LoginThrottleOptions = {}): { lt: LoginThrottle; advance: (ms: number) => void } {
  let now = 1_765_000_000_000;
  const lt = new LoginThrottle({ now: () => now, ...options });
  return { lt, advance: (ms) => (now += ms) };
}

/** Fails `n` times from fresh addresses (so only the account counts). */
let addr = 0;
function failFresh(lt: LoginThrottle, account: string, n: number): boolean[] {
  return Array.from({ length: n }, () => lt.failed(account, `10.0.${addr >> 8}.${addr++ & 255}`));
}

t.test('5 failures in 15 min lock the account for 15 min', async (t) => {
  const { lt, advance } = setup();
  t.same(failFresh(lt, 'alice', 4), [false, false, false, false]);
  t.equal(lt.check('alice', '192.0.2.1'), undefined, 'four failures: not locked');
  t.same(failFresh(lt, 'alice', 1), [true], 'the fifth locks');
  const r = lt.check('alice', '192.0.2.1')!;
  t.equal(r.code, 'CLOUD_ERR_LOGIN_LOCKED');
  t.equal(r.retryAfterS, 900);
  t.match(r.message, /locked .* for another 15 min 0 s/);
  t.same(r.toJSON(), { code: 'CLOUD_ERR_LOGIN_LOCKED', message: r.message, hint: r.hint, retryAfterS: 900 });
  t.ok(r.hint.length > 10, 'hint registered');
  t.equal(cloudHttpStatus(r.code, 500), 429);
  t.equal(lt.check('ALICE', '198.51.100.7')?.code, 'CLOUD_ERR_LOGIN_LOCKED', 'from any address, any case');
  advance(15 * MIN - 1000);
  t.equal(lt.check('alice', '192.0.2.1')?.retryAfterS, 1);
  t.match(lt.status('alice'), { failures: 0, locks: 1 });
  t.equal(typeof lt.status('alice').lockedUntilMs, 'number', 'locked: status says until when');
  advance(1000);
  t.equal(lt.check('alice', '192.0.2.1'), undefined, 'lock over');
  t.equal(lt.status('alice').lockedUntilMs, undefined);
  t.same(failFresh(lt, 'alice', 4), [false, false, false, false], 'failures restart from 0 after a lock');
  t.match(lt.stats(), { locked: 1, refusedWhileLocked: 3 });
});

t.test('failures older than the window do not add up', async (t) => {
  const { lt, advance } = setup();
  failFresh(lt, 'bob', 4);
  advance(15 * MIN);
  t.same(failFresh(lt, 'bob', 1), [false], 'the first four left the window');
  t.equal(lt.status('bob').failures, 1);
  advance(5 * MIN);
  t.same(failFresh(lt, 'bob', 3), [false, false, false]);
  t.same(failFresh(lt, 'bob', 1), [true], 'five within 15 min');
});

t.test('each further lock doubles, up to 24 h; forgotten a day after the last', async (t) => {
  const { lt, advance } = setup();
  const lengths: number[] = [];
  for (let i = 0; i < 9; i++) {
    failFresh(lt, 'carol', 5);
    const left = lt.check('carol', '192.0.2.9')!.retryAfterS;
    lengths.push(left / 60);
    advance(left * 1000);
  }
  t.same(lengths, [15, 30, 60, 120, 240, 480, 960, 1440, 1440], 'minutes');
  t.equal(lt.status('carol').locks, 9);
  advance(24 * HOUR + 1);
  t.equal(lt.status('carol').locks, 0, 'forgotten');
  failFresh(lt, 'carol', 5);
  t.equal(lt.check('carol', '192.0.2.9')!.retryAfterS, 900, 'back to 15 min');
});

t.test('success clears failures, not the lock count; unlock', async (t) => {
  const { lt, advance } = setup();
  failFresh(lt, 'dan', 4);
  lt.succeeded('dan', '192.0.2.2');
  t.same(failFresh(lt, 'dan', 4), [false, false, false, false], 'counting starts again');
  t.same(failFresh(lt, 'dan', 1), [true]);
  advance(15 * MIN);
  lt.succeeded('dan', '192.0.2.2');
  failFresh(lt, 'dan', 5);
  t.equal(lt.check('dan', '192.0.2.2')?.retryAfterS, 1800, 'second lock doubled despite the success between');

  t.equal(lt.unlock('dan'), true, 'was locked');
  t.equal(lt.check('dan', '192.0.2.2'), undefined, 'unlocked');
  t.equal(lt.unlock('dan'), false, 'not locked any more');
  t.equal(lt.unlock('nobody-ever'), false);
  failFresh(lt, 'dan', 5);
  t.equal(lt.check('dan', '192.0.2.2')?.retryAfterS, 3600, 'the lock count survives an unlock');

  t.same(failFresh(lt, 'dan', 3), [false, false, false], 'failures while locked neither count nor extend');
  t.equal(lt.check('dan', '192.0.2.2')?.retryAfterS, 3600);
  t.equal(lt.stats().accounts, 1);
  lt.succeeded('erin', '192.0.2.2');
  t.equal(lt.stats().accounts, 1, 'a success with nothing to remember keeps no entry');
});

t.test('a name that is no account behaves like one that is', async (t) => {
  // the throttle never looks names up: replaying one script on a real and a made-up name gives the same answers
  const script = (name: string): unknown[] => {
    const { lt, advance } = setup();
    const seen: unknown[] = [];
    for (let i = 0; i < 12; i++) {
      seen.push(lt.check(name, '203.0.113.5')?.toJSON(), lt.failed(name, '203.0.113.5'), lt.delayMs('203.0.113.5'));
      advance(40_000);
    }
    seen.push(lt.status(name), lt.stats());
    return seen;
  };
  t.same(script('zhangsan'), script('no-such-user-9f3a'));
  const { lt } = setup();
  t.equal(lt.check('never-seen', '203.0.113.6'), undefined);
  t.same(
    lt.stats(),
    { accounts: 0, addresses: 0, locked: 0, refusedWhileLocked: 0, throttled: 0, evicted: 0 },
    'check stores nothing',
  );
});

t.test('per-address back-off: 0 for 3 failures, then 1 s doubling up to 30 s', async (t) => {
  const { lt, advance } = setup();
  const ip = '198.51.100.20';
  const delays: number[] = [];
  for (let i = 0; i < 10; i++) {
    t.equal(lt.check(`user${i}`, ip), undefined, `attempt ${i + 1} allowed once the delay passed`);
    lt.failed(`user${i}`, ip); // password spraying: a new account each time
    const d = lt.delayMs(ip);
    delays.push(d);
    if (d > 0) {
      const r = lt.check(`user${i + 1}`, ip)!;
      t.equal(r.code, 'CLOUD_ERR_LOGIN_THROTTLED');
      t.equal(r.retryAfterS, d / 1000);
      advance(d - 1);
      t.equal(lt.check(`user${i + 1}`, ip)?.retryAfterS, 1, '1 ms before the end');
      advance(1);
    }
  }
  t.same(delays, [0, 0, 0, 1000, 2000, 4000, 8000, 16000, 30000, 30000]);
  t.equal(lt.stats().throttled, 14);
  t.equal(lt.stats().locked, 0, 'no account locked by spraying');
  t.equal(lt.delayMs('198.51.100.21'), 0, 'other addresses are not slowed');
  t.equal(cloudHttpStatus('CLOUD_ERR_LOGIN_THROTTLED', 500), 429);

  lt.succeeded('user0', ip);
  lt.failed('user0', ip);
  t.equal(lt.delayMs(ip), 30_000, 'a success does not reset the back-off');
  advance(15 * MIN + 1);
  t.equal(lt.delayMs(ip), 0, 'over after 15 min without failures');
  lt.failed('user0', ip);
  t.equal(lt.delayMs(ip), 0, 'and counting starts again');
});

t.test('per-address cap per minute', async (t) => {
  const { lt, advance } = setup({ addressMaxPerMinute: 30 });
  const ip = '192.0.2.50';
  for (let i = 0; i < 29; i++) lt.succeeded(`office${i}`, ip);
  t.equal(lt.check('office29', ip), undefined, '29 sign-ins: allowed');
  advance(20_000);
  lt.succeeded('office29', ip);
  const r = lt.check('office30', ip)!;
  t.equal(r.code, 'CLOUD_ERR_LOGIN_THROTTLED');
  t.equal(r.retryAfterS, 40, 'until the minute is over');
  t.equal(lt.delayMs(ip), 40_000);
  advance(40_000);
  t.equal(lt.check('office30', ip), undefined, 'next minute');
  t.equal(lt.stats().throttled, 1);
});

t.test('maps are bounded: oldest evicted first', async (t) => {
  const { lt } = setup({ maxEntries: 3 });
  const ip = '192.0.2.70';
  for (const name of ['n1', 'n2', 'n3']) lt.failed(name, ip);
  lt.failed('n1', ip); // n1 is now the most recently written
  lt.failed('n4', ip);
  t.equal(lt.stats().accounts, 3);
  t.equal(lt.stats().evicted, 1);
  t.equal(lt.status('n2').failures, 0, 'n2, the oldest, was evicted');
  t.equal(lt.status('n1').failures, 2, 'n1 kept');
  for (let i = 0; i < 5; i++) lt.failed('n5', `198.51.100.${i}`);
  t.equal(lt.stats().addresses, 3, 'addresses bounded too');
  t.equal(lt.stats().evicted, 1 + 1 + 3, 'one account and three addresses more');
  t.equal(lt.check('n5', ip)?.code, 'CLOUD_ERR_LOGIN_LOCKED', 'the newest entry still locks');
});

t.test('keys: case-insensitive, bounded length; options checked', async (t) => {
  const { lt } = setup();
  const long = 'x'.repeat(256);
  failFresh(lt, `${long}a`, 3);
  failFresh(lt, `${long}B`, 2);
  t.equal(lt.check(long, '192.0.2.80')?.code, 'CLOUD_ERR_LOGIN_LOCKED', 'names past 256 characters share one entry');
  t.throws(() => new LoginThrottle({ maxFailures: 0 }), RangeError);
  t.throws(() => new LoginThrottle({ lockMs: 1.5 }), RangeError);
  t.doesNotThrow(() => new LoginThrottle({ addressFreeFailures: 0 }));
});
