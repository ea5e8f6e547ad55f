/**
 * Operator accounts and sessions (cloud/auth/accounts.ts) with a controllable clock, on both user
 * stores (SQLite file and PostgreSQL): sign-in, wrong passwords alike for known and unknown names,
 * the account lock after repeated failures and its end, idle and absolute session timeouts, the
 * sessions-per-account bound, CSRF, TOTP enrolment and sign-in with replay refused, password
 * change ending other sessions, role and scope changes ending sessions, the last security
 * administrator kept, nothing secret stored in clear.
 */
import t, { type Test } from 'tap';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { SecretBox } from '../../../common/seal.js';
import { Accounts, sha256 } from '../../../cloud/auth/accounts.js';
import { LoginThrottle } from '../../../cloud/auth/lockout.js';
import { totpCode } from '../../../cloud/auth/totp.js';
import { SqliteUserStore } from '../../../cloud/store/sqlite-user-store.js';
import { PgUserStore } from '../../../cloud/store/postgres/pg-user-store.js';
import { PgDatabase } from '../../../cloud/store/postgres/pg-database.js';
import { migrate } from '../../../cloud/store/postgres/pg-migrations.js';
import type { UserStore } from '../../../cloud/store/user-store.js';
import { tempDir } from '../../helpers/fleet.js';
import { tempPgDatabase } from '../../helpers/pg.js';

const PW = 'Correct-Horse-9-Battery';
const ADDR = '192.0.2.7';

async function backends(t: Test): Promise<[string, UserStore][]> {
  const db = new Database(join(tempDir('yw-users-'), 'cloud.db'));
  t.teardown(() => db.close());
  const url = await tempPgDatabase(t, 'yw_users');
  const pg = new PgDatabase(url);
  t.teardown(() => pg.close());
  await migrate(pg);
  return [
    ['sqlite', new SqliteUserStore(db)],
    ['postgres', new PgUserStore(pg)],
  ];
}

function make(users: UserStore, o: Partial<ConstructorParameters<typeof Accounts>[0]> = {}) {
  const clock = { now: 1_800_000_000_000 };
  const now = () => clock.now;
  const accounts = new Accounts({
    users,
    throttle: new LoginThrottle({ now }),
    sealer: new SecretBox('test-secret', 'yiwang-accounts', 'account-secrets-v1'),
    sessionIdleMs: 30 * 60_000,
    sessionMaxMs: 12 * 3_600_000,
    maxSessionsPerUser: 3,
    now,
    ...o,
  });
  return { accounts, clock };
}

t.test('accounts and sessions on both stores', async (t) => {
  for (const [name, users] of await backends(t)) {
    await t.test(name, async (t) => {
      const { accounts, clock } = make(users);
      await accounts.create({ name: 'alice', password: PW, role: 'operator', districts: ['east'] });
      await t.rejects(accounts.create({ name: 'alice', password: PW, role: 'viewer' }), { code: 'CLOUD_ERR_CONFLICT' });
      await t.rejects(accounts.create({ name: 'Bob!', password: PW, role: 'viewer' }), { code: 'CLOUD_ERR_ACCOUNT' });
      await t.rejects(
        accounts.create({ name: 'bob', password: PW, role: 'admin' }),
        { code: 'CLOUD_ERR_ACCOUNT' },
        'admin is no account role',
      );
      await t.rejects(accounts.create({ name: 'bob', password: 'short', role: 'viewer' }), {
        code: 'CLOUD_ERR_PASSWORD_RULES',
      });
      const stored = await users.getUser('alice');
      t.match(stored?.passwordHash, /^scrypt\$/, 'the password is stored as an scrypt hash');
      t.notOk(JSON.stringify(stored).includes(PW), 'never in clear');

      // sign-in: one answer for a wrong password and an unknown name
      const r = await accounts.signIn('Alice', PW, undefined, ADDR);
      t.equal(r.user.name, 'alice', 'names are case-insensitive');
      t.equal((await users.getSession(sha256(r.value)))?.user, 'alice', 'the session is stored by its hash');
      t.equal(await users.getSession(r.value), undefined, 'never by its value');
      await t.rejects(accounts.signIn('alice', 'Wrong-Password-1', undefined, ADDR), {
        code: 'CLOUD_ERR_LOGIN_FAILED',
      });
      await t.rejects(accounts.signIn('nobody', PW, undefined, '192.0.2.8'), { code: 'CLOUD_ERR_LOGIN_FAILED' });
      const s = await accounts.session(r.value);
      t.same(s.scope, { districts: ['east'], groups: [] }, 'the session carries the scope');

      // idle timeout: used within 30 min it lives on, 30 min unused it ends
      clock.now += 29 * 60_000;
      t.equal((await accounts.session(r.value)).user.name, 'alice', 'used after 29 min: valid');
      clock.now += 29 * 60_000;
      t.equal(
        (await accounts.session(r.value)).user.name,
        'alice',
        'used again 29 min later: still valid after 58 min',
      );
      clock.now += 31 * 60_000;
      await t.rejects(accounts.session(r.value), { code: 'CLOUD_ERR_SESSION_EXPIRED' }, 'idle 31 min: ended');
      t.equal(await users.getSession(sha256(r.value)), undefined, 'and deleted');

      // absolute timeout: 12 h whatever the use
      const r2 = await accounts.signIn('alice', PW, undefined, ADDR);
      // used every 29 min, never idle: still it ends 12 h after the sign-in
      for (;;) {
        clock.now += 29 * 60_000;
        if (clock.now - r2.session.createdMs > 12 * 3_600_000) break;
        await accounts.session(r2.value);
      }
      await t.rejects(
        accounts.session(r2.value),
        { code: 'CLOUD_ERR_SESSION_EXPIRED' },
        'past 12 h: ended though in use',
      );

      // at most 3 sessions: the oldest ends
      const many: Awaited<ReturnType<typeof accounts.signIn>>[] = [];
      for (let i = 0; i < 4; i++) many.push(await accounts.signIn('alice', PW, undefined, ADDR));
      await t.rejects(accounts.session(many[0]!.value), { code: 'CLOUD_ERR_SESSION_EXPIRED' }, 'the oldest of 4 ended');
      t.equal((await users.userSessions('alice')).length, 3, 'three kept');
      t.equal(accounts.counters.sessionsEvicted, 1);

      // CSRF
      t.throws(() => accounts.checkCsrf(many[3]!.session, undefined), { code: 'CLOUD_ERR_CSRF' });
      t.throws(
        () => accounts.checkCsrf(many[3]!.session, many[2]!.session.csrf),
        { code: 'CLOUD_ERR_CSRF' },
        "another session's token",
      );
      t.doesNotThrow(() => accounts.checkCsrf(many[3]!.session, many[3]!.session.csrf));

      // a password change ends the other sessions, keeps this one
      const me = await accounts.session(many[3]!.value);
      await t.rejects(accounts.changePassword(me, 'wrong', 'New-Password-42x'), { code: 'CLOUD_ERR_ACCOUNT' });
      await accounts.changePassword(me, PW, 'New-Password-42x');
      await t.rejects(accounts.session(many[2]!.value), { code: 'CLOUD_ERR_SESSION_EXPIRED' }, 'other sessions ended');
      await accounts.session(many[3]!.value);
      await t.rejects(
        accounts.signIn('alice', PW, undefined, ADDR),
        { code: 'CLOUD_ERR_LOGIN_FAILED' },
        'old password refused',
      );
      const r3 = await accounts.signIn('alice', 'New-Password-42x', undefined, ADDR);

      // a role change ends sessions
      await accounts.update('alice', { role: 'viewer' });
      await t.rejects(accounts.session(r3.value), { code: 'CLOUD_ERR_SESSION_EXPIRED' }, 'a role change ends sessions');
      // disabling: sign-in refused like a wrong password
      await accounts.update('alice', { disabled: true });
      await t.rejects(accounts.signIn('alice', 'New-Password-42x', undefined, ADDR), {
        code: 'CLOUD_ERR_LOGIN_FAILED',
      });
      await accounts.update('alice', { disabled: false });

      // the last security administrator stays
      await accounts.create({ name: 'sec', password: PW, role: 'security_admin' });
      await t.rejects(accounts.update('sec', { role: 'viewer' }), { code: 'CLOUD_ERR_ACCOUNT' }, 'not demoted');
      await t.rejects(accounts.update('sec', { disabled: true }), { code: 'CLOUD_ERR_ACCOUNT' }, 'not disabled');
      await accounts.create({ name: 'sec2', password: PW, role: 'security_admin' });
      await accounts.update('sec', { role: 'auditor' });
      t.equal((await accounts.get('sec')).role, 'auditor', 'with another one it may');
    });
  }
});

t.test('lockout: 5 failures lock the account (known or not alike), the lock ends, an unlock ends it', async (t) => {
  const db = new Database(':memory:');
  t.teardown(() => db.close());
  const { accounts, clock } = make(new SqliteUserStore(db));
  await accounts.create({ name: 'carol', password: PW, role: 'viewer' });
  const attempt = async (name: string, pw: string, addr: string) => {
    try {
      await accounts.signIn(name, pw, undefined, addr);
      return 'ok';
    } catch (err) {
      return (err as { code: string }).code;
    }
  };
  // from 5 addresses, so the address back-off does not come first
  const got = [];
  for (let i = 0; i < 5; i++) got.push(await attempt('carol', 'Wrong-Password-1', `198.51.100.${i}`));
  t.same(got, Array(5).fill('CLOUD_ERR_LOGIN_FAILED'), 'five failures');
  t.equal(
    await attempt('carol', PW, '198.51.100.9'),
    'CLOUD_ERR_LOGIN_LOCKED',
    'then locked, even with the right password',
  );
  const unknown = [];
  for (let i = 0; i < 6; i++) unknown.push(await attempt('nobody', 'Wrong-Password-1', `203.0.113.${i}`));
  t.same(unknown.slice(-1), ['CLOUD_ERR_LOGIN_LOCKED'], 'a name that is no account locks the same way');
  clock.now += 15 * 60_000 + 1000;
  t.equal(await attempt('carol', PW, '198.51.100.9'), 'ok', 'after 15 min the right password works');
  for (let i = 0; i < 5; i++) await attempt('carol', 'Wrong-Password-1', `198.51.100.${20 + i}`);
  t.equal(await attempt('carol', PW, '198.51.100.30'), 'CLOUD_ERR_LOGIN_LOCKED', 'locked again');
  accounts.unlock('carol');
  t.equal(await attempt('carol', PW, '198.51.100.30'), 'ok', 'an administrator unlocks it');
  // one address guessing at many names is slowed
  const addr = [];
  for (let i = 0; i < 5; i++) addr.push(await attempt(`guess${i}`, 'Wrong-Password-1', '192.0.2.99'));
  t.ok(addr.includes('CLOUD_ERR_LOGIN_THROTTLED'), `the address is throttled (${addr.join(',')})`);
});

t.test('TOTP: enrolment, sign-in with the code, a code used once, removal', async (t) => {
  const db = new Database(':memory:');
  t.teardown(() => db.close());
  const users = new SqliteUserStore(db);
  const { accounts, clock } = make(users);
  await accounts.create({ name: 'dave', password: PW, role: 'auditor' });
  const s = await accounts.session((await accounts.signIn('dave', PW, undefined, ADDR)).value);
  const begin = await accounts.totpBegin(s);
  t.match(begin.uri, /^otpauth:\/\/totp\/Yiwang:dave\?secret=/, 'an otpauth URI');
  t.notOk(begin.pending.includes(begin.secret), 'the pending value is sealed');
  await t.rejects(
    accounts.totpConfirm(s, begin.pending, '000000'),
    { code: 'CLOUD_ERR_ACCOUNT' },
    'a wrong code does not enable it',
  );
  await accounts.totpConfirm(s, begin.pending, totpCode(begin.secret, clock.now));
  const row = await users.getUser('dave');
  t.ok(row?.totpSealed && !row.totpSealed.includes(begin.secret), 'stored sealed');
  await t.rejects(accounts.signIn('dave', PW, undefined, ADDR), { code: 'CLOUD_ERR_TOTP_REQUIRED' });
  clock.now += 30_000;
  const code = totpCode(begin.secret, clock.now);
  const ok = await accounts.signIn('dave', PW, code, ADDR);
  t.equal(ok.user.name, 'dave', 'signed in with the code');
  await t.rejects(
    accounts.signIn('dave', PW, code, ADDR),
    { code: 'CLOUD_ERR_LOGIN_FAILED' },
    'the same code twice: refused',
  );
  await t.rejects(accounts.signIn('dave', 'Wrong-Password-1', totpCode(begin.secret, clock.now + 30_000), ADDR), {
    code: 'CLOUD_ERR_LOGIN_FAILED',
  });
  const me = await accounts.session(ok.value);
  await t.rejects(
    accounts.totpBegin(me),
    { code: 'CLOUD_ERR_ACCOUNT' },
    'a second factor is not replaced while one is set',
  );
  await t.rejects(
    accounts.update('dave', { totp: false }, 'dave'),
    { code: 'CLOUD_ERR_ACCOUNT' },
    'nor removed through PATCH by its own account',
  );
  await t.rejects(
    accounts.update('dave', { password: 'Another-Pass-77z' }, 'dave'),
    { code: 'CLOUD_ERR_ACCOUNT' },
    'nor the own password',
  );
  // a pending value is for its own account and expires
  await accounts.create({ name: 'erin', password: PW, role: 'viewer' });
  const erin = await accounts.session((await accounts.signIn('erin', PW, undefined, '192.0.2.60')).value);
  const theirs = await accounts.totpBegin(erin);
  await accounts.totpRemove(me, PW);
  const mine = await accounts.session((await accounts.signIn('dave', PW, undefined, '192.0.2.61')).value);
  await t.rejects(
    accounts.totpConfirm(mine, theirs.pending, totpCode(theirs.secret, clock.now)),
    { code: 'CLOUD_ERR_ACCOUNT' },
    "another account's pending value is refused",
  );
  const late = await accounts.totpBegin(erin);
  clock.now += 11 * 60_000;
  await t.rejects(
    accounts.totpConfirm(erin, late.pending, totpCode(late.secret, clock.now)),
    { code: 'CLOUD_ERR_ACCOUNT' },
    'after 10 minutes it expired',
  );
  t.equal((await accounts.signIn('dave', PW, undefined, '192.0.2.50')).user.name, 'dave', 'removed: no code needed');
});
