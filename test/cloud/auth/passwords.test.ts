/**
 * Operator passwords: scrypt hashes in `scrypt$N$r$p$salt$hash` verify, refuse a wrong password,
 * survive Unicode normalization; a stored hash with parameters out of bounds (a tampered row) is
 * refused without deriving anything; over 256 bytes is refused before hashing; `needsRehash` flags
 * weaker parameters; the password rules list every broken rule. Most hashes use N = 2^10 (1 MiB,
 * ~1 ms) and only two use today's N = 2^15 (~100 ms each).
 */
import t from 'tap';
import { cloudHttpStatus, registerCloudErrors } from '../../../cloud/error-catalog.js';
import {
  checkPasswordRules,
  hashPassword,
  needsRehash,
  PASSWORD_MAX_BYTES,
  parsePasswordHash,
  SCRYPT_CURRENT,
  verifyPassword,
} from '../../../cloud/auth/passwords.js';
import { rejectsCode } from '../../helpers/errors.js';

registerCloudErrors();
const CHEAP = { N: 2 ** 10, r: 8, p: 1 };

t.test("today's parameters: format, verify, wrong password, fresh salt", async (t) => {
  const encoded = await hashPassword('Correct-Horse-9-Battery');
  t.match(encoded, /^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
  t.equal(await verifyPassword('Correct-Horse-9-Battery', encoded), true, 'right password');
  t.equal(await verifyPassword('correct-Horse-9-Battery', encoded), false, 'one letter off');
  t.equal(needsRehash(encoded), false, 'current parameters need no rehash');
  t.same(parsePasswordHash(encoded)?.salt.length, 16);
});

t.test('salt is fresh each time; NFC normalization; 256-byte edge', async (t) => {
  const a = await hashPassword('same password', CHEAP);
  const b = await hashPassword('same password', CHEAP);
  t.not(a, b, 'two hashes of one password differ');
  t.equal(await verifyPassword('same password', b), true);
  const composed = await hashPassword('caf\u00e9-Zh\u00e8ng-42', CHEAP);
  t.equal(await verifyPassword('cafe\u0301-Zhe\u0300ng-42', composed), true, 'decomposed accents verify');
  const max = `${'中'.repeat(85)}x`; // 255 + 1 bytes
  t.equal(Buffer.byteLength(max), PASSWORD_MAX_BYTES);
  t.equal(await verifyPassword(max, await hashPassword(max, CHEAP)), true, 'exactly 256 bytes is fine');
});

t.test('over 256 bytes is refused before hashing', async (t) => {
  const huge = 'A'.repeat(10 * 2 ** 20);
  const start = performance.now();
  await rejectsCode(t, hashPassword(huge), 'CLOUD_ERR_PASSWORD_RULES', /over 256 bytes/);
  t.ok(performance.now() - start < 50, 'refused at once (no scrypt over 10 MiB)');
  // 86 characters, 258 bytes: passes the cheap length bound, caught by the byte count
  await rejectsCode(t, hashPassword('中'.repeat(86)), 'CLOUD_ERR_PASSWORD_RULES');
  const ok = await hashPassword('x', CHEAP);
  t.equal(await verifyPassword(huge, ok), false, 'verify of a huge input is false');
  t.equal(cloudHttpStatus('CLOUD_ERR_PASSWORD_RULES', 500), 400);
});

t.test('tampered or malformed stored hashes are refused without deriving', async (t) => {
  const good = await hashPassword('Tamper-Proof-1', CHEAP);
  const [, , , , salt, hash] = good.split('$');
  const row = (n: string | number, r: string | number, p: string | number, s = salt, h = hash): string =>
    `scrypt$${n}$${r}$${p}$${s}$${h}`;
  const bad: [string, string][] = [
    ['N = 2^21', row(2 ** 21, 1, 1)],
    ['N = 2^20 with r = 8 (1 GiB)', row(2 ** 20, 8, 1)],
    ['N = 2^30', row(2 ** 30, 8, 1)],
    ['N not a power of two', row(3000, 8, 1)],
    ['N below 2^10', row(2 ** 9, 8, 1)],
    ['r = 64', row(2 ** 10, 64, 1)],
    ['p = 17', row(2 ** 10, 8, 17)],
    ['work N·r·p over 2^22', row(2 ** 16, 8, 16)],
    ['N with a leading zero', row('01024', 8, 1)],
    ['N huge decimal', row('99999999999999999999', 8, 1)],
    ['p = 0', row(2 ** 10, 8, 0)],
    ['negative r', row(2 ** 10, '-8', 1)],
    ['salt of 4 bytes', row(2 ** 10, 8, 1, 'AAAAAA')],
    ['hash of 8 bytes', row(2 ** 10, 8, 1, salt, 'AAAAAAAAAAA')],
    ['salt in standard base64 (+/=)', row(2 ** 10, 8, 1, `${salt!.slice(0, -1)}+`)],
    ['non-canonical trailing bits', row(2 ** 10, 8, 1, salt, `${hash!.slice(0, -1)}B`)],
    ['other scheme', good.replace(/^scrypt/, 'bcrypt')],
    ['extra field', `${good}$x`],
    ['missing field', good.split('$').slice(0, 5).join('$')],
    ['empty', ''],
    ['very long', `${good}${'A'.repeat(10_000)}`],
  ];
  for (const [what, encoded] of bad) {
    t.equal(parsePasswordHash(encoded), undefined, `${what}: not parsed`);
    const start = performance.now();
    t.equal(await verifyPassword('Tamper-Proof-1', encoded), false, `${what}: verify is false`);
    t.ok(performance.now() - start < 20, `${what}: answered without scrypt`);
    t.equal(needsRehash(encoded), true, `${what}: needs rehash`);
  }
  t.equal(await verifyPassword('Tamper-Proof-1', good), true, 'the untampered row still verifies');
  t.equal(await verifyPassword('Tamper-Proof-1', row(2 ** 10, 8, 2)), false, 'p changed: wrong key');
  await t.rejects(hashPassword('x', { N: 2 ** 21, r: 8, p: 1 }), RangeError, 'hashing with out-of-bounds params');
});

t.test('needsRehash: weaker parameters than current', async (t) => {
  const weak = await hashPassword('Rehash-Me-Please-7', CHEAP);
  t.equal(needsRehash(weak), true, 'N = 2^10 < 2^15');
  t.equal(needsRehash(weak, CHEAP), false, 'not when current is the same');
  t.equal(needsRehash(weak.replace('$8$1$', '$4$1$'), CHEAP), true, 'lower r');
  t.equal(needsRehash(weak, { ...CHEAP, p: 2 }), true, 'lower p');
  t.same(SCRYPT_CURRENT, { N: 32768, r: 8, p: 1 });
});

t.test('password rules', async (t) => {
  t.equal(checkPasswordRules('Grain-Tower-84-Lantern', { username: 'zhangsan' }), undefined, 'a good one');
  t.equal(checkPasswordRules('长城-万里-Great-wall'), undefined, 'Chinese characters count as "other"');
  const problems = (pw: string, username?: string, minLength?: number): string[] =>
    checkPasswordRules(pw, {
      ...(username === undefined ? {} : { username }),
      ...(minLength === undefined ? {} : { minLength }),
    })?.problems ?? [];
  t.same(problems('Short-1a'), ['too-short']);
  t.same(problems('Short-1a', undefined, 8), [], 'minLength option');
  t.same(problems('alllowercaseletters'), ['classes']);
  t.same(problems('lowercase-and-dashes'), ['classes'], 'two classes are not enough');
  t.same(problems('lowercase-and-digits-9'), [], 'three classes are');
  t.same(problems('My-ZhangSan-Pass-9', 'zhangsan'), ['contains-username'], 'user name, case-insensitive');
  t.same(problems('My-ZhangSan-Pass-9', 'ZHANGSAN'), ['contains-username']);
  t.same(problems('My-Li-Password-99', 'li'), [], 'user names under 3 characters are not looked for');
  t.same(problems('aaaaaaaaaaaaaaaa'), ['classes', 'repeated']);
  t.same(problems('Passw0rd@123'), ['common'], 'passes length and classes, but common');
  t.same(problems('1QAZ@wsx3EDC'), ['common'], 'case-insensitive');
  t.same(problems('woaini1314', undefined, 8), ['classes', 'common']);
  t.same(problems('a123456789', 'a123'), ['too-short', 'classes', 'contains-username', 'common'], 'all listed');
  t.same(problems('x'.repeat(300)), ['too-long'], 'over 256 bytes: nothing else looked at');
  const err = checkPasswordRules('password', { username: 'admin' })!;
  t.equal(err.code, 'CLOUD_ERR_PASSWORD_RULES');
  t.match(err.message, /breaks 3 rules: it has 8 characters, at least 12 .*classes.*most common/);
  t.same(err.toJSON().problems, ['too-short', 'classes', 'common']);
  t.ok(err.hint.length > 10, 'hint registered');
});
