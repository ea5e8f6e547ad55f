/**
 * TOTP second factor: the RFC 4648 base32 test vectors (section 10) both ways and the refusals of
 * bad base32; the RFC 4226 HOTP values (Appendix D) and the RFC 6238 TOTP values (Appendix B, all
 * three hashes, 8 digits); verification with a drift window, replay refusal through lastUsedStep,
 * exact-digit codes only; the otpauth:// URI.
 */
import t from 'tap';
import { registerCloudErrors } from '../../../cloud/error-catalog.js';
import {
  BASE32_MAX_CHARS,
  base32Decode,
  base32Encode,
  hotp,
  newTotpSecret,
  totpCode,
  totpStep,
  totpUri,
  verifyTotp,
} from '../../../cloud/auth/totp.js';
import { throwsCode } from '../../helpers/errors.js';

registerCloudErrors();

t.test('RFC 4648 base32 test vectors', async (t) => {
  const vectors: [string, string][] = [
    ['', ''],
    ['f', 'MY======'],
    ['fo', 'MZXQ===='],
    ['foo', 'MZXW6==='],
    ['foob', 'MZXW6YQ='],
    ['fooba', 'MZXW6YTB'],
    ['foobar', 'MZXW6YTBOI======'],
  ];
  for (const [plain, b32] of vectors) {
    t.equal(base32Encode(Buffer.from(plain)), b32, `encode ${JSON.stringify(plain)}`);
    t.equal(base32Decode(b32).toString(), plain, `decode ${b32}`);
    t.equal(base32Decode(b32.toLowerCase()).toString(), plain, `decode ${b32} in lower case`);
    const bare = b32.replace(/=+$/, '');
    t.equal(base32Encode(Buffer.from(plain), { padding: false }), bare, `encode ${JSON.stringify(plain)} unpadded`);
    t.equal(base32Decode(bare).toString(), plain, `decode ${bare} unpadded`);
  }
  const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
  t.same(base32Decode(base32Encode(all)), all, 'every byte value round-trips');
});

t.test('bad base32 is refused', async (t) => {
  const bad: [string, string][] = [
    ['MY1=====', 'digit 1 is not base32'],
    ['MY0=====', 'digit 0'],
    ['MZXW6YT8', 'digit 8'],
    ['MZXW 6YTB', 'a space'],
    ['M', '1 character'],
    ['MZX', '3 characters'],
    ['MZXW6Y', '6 characters'],
    ['MY=====', 'padding short of 8'],
    ['MY=========', 'padding past 8'],
    ['MZXW6YTB========', 'a group of padding only'],
    ['MZ======', 'non-zero trailing bits'],
    ['MZ=XW6==', 'padding in the middle'],
    ['A'.repeat(BASE32_MAX_CHARS + 8), 'over the input bound'],
  ];
  for (const [text, why] of bad) {
    t.test(why, async (t) => throwsCode(t, () => base32Decode(text), 'CLOUD_ERR_TOTP_SECRET'));
  }
  t.equal(base32Decode('A'.repeat(BASE32_MAX_CHARS)).length, 640, 'the bound itself is fine');
});

const ASCII = (s: string): Buffer => Buffer.from(s, 'ascii');
const SEED20 = ASCII('12345678901234567890');
const SEED32 = ASCII('12345678901234567890123456789012');
const SEED64 = ASCII('1234567890123456789012345678901234567890123456789012345678901234');

t.test('RFC 4226 Appendix D HOTP values', async (t) => {
  const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
  t.same(
    expected.map((_, i) => hotp(SEED20, i)),
    expected,
  );
});

t.test('RFC 6238 Appendix B TOTP values (8 digits)', async (t) => {
  const rows: [number, string, string, string][] = [
    [59, '94287082', '46119246', '90693936'],
    [1111111109, '07081804', '68084774', '25091201'],
    [1111111111, '14050471', '67062674', '99943326'],
    [1234567890, '89005924', '91819424', '93441116'],
    [2000000000, '69279037', '90698825', '38618901'],
    [20000000000, '65353130', '77737706', '47863826'],
  ];
  for (const [seconds, sha1, sha256, sha512] of rows) {
    const ms = seconds * 1000;
    t.equal(totpCode(SEED20, ms, { digits: 8 }), sha1, `SHA-1 at ${seconds}`);
    t.equal(totpCode(SEED32, ms, { digits: 8, algorithm: 'sha256' }), sha256, `SHA-256 at ${seconds}`);
    t.equal(totpCode(SEED64, ms, { digits: 8, algorithm: 'sha512' }), sha512, `SHA-512 at ${seconds}`);
    // the same through base32 text and verifyTotp
    const b32 = base32Encode(SEED20);
    t.equal(verifyTotp(b32, sha1, ms, { digits: 8, window: 0 }), totpStep(ms), `verify SHA-1 at ${seconds}`);
  }
  t.equal(totpCode(SEED20, 59_000), '287082', '6 digits is the last 6 of the 8-digit value here');
});

t.test('verify: drift window, replay refusal, exact digits', async (t) => {
  const secret = newTotpSecret();
  const now = 1_765_000_000_000;
  const step = totpStep(now);
  const at = (k: number): string => totpCode(secret, (step + k) * 30_000);
  t.equal(verifyTotp(secret, at(0), now), step, 'current code: its step');
  t.equal(verifyTotp(secret, at(-1), now), step - 1, 'previous step within the default window');
  t.equal(verifyTotp(secret, at(1), now), step + 1, 'next step within the default window');
  t.equal(verifyTotp(secret, at(-1), now, { window: 0 }), undefined, 'window 0: previous refused');
  t.equal(verifyTotp(secret, at(-2), now), undefined, 'two steps back refused');
  t.equal(verifyTotp(secret, at(-2), now, { window: 2 }), step - 2, 'accepted with window 2');
  t.equal(verifyTotp(secret, at(0), now, { lastUsedStep: step }), undefined, 'replay of the same step refused');
  t.equal(verifyTotp(secret, at(-1), now, { lastUsedStep: step }), undefined, 'an earlier step after a later one');
  t.equal(verifyTotp(secret, at(1), now, { lastUsedStep: step }), step + 1, 'a later step after it');
  t.equal(verifyTotp(secret, at(0), now, { lastUsedStep: step - 1 }), step);
  const wrong = String((Number(at(0)) + 1) % 1_000_000).padStart(6, '0');
  if (wrong !== at(-1) && wrong !== at(1)) t.equal(verifyTotp(secret, wrong, now), undefined, 'wrong code');
  const c = at(0);
  for (const typed of [
    c.slice(1),
    `${c}0`,
    ` ${c}`,
    `${c}\n`,
    `${c.slice(0, 5)}a`,
    '１２３４５６',
    '',
    `+${c.slice(1)}`,
  ]) {
    t.equal(verifyTotp(secret, typed, now), undefined, `not exactly 6 ASCII digits: ${JSON.stringify(typed)}`);
  }
  t.equal(verifyTotp(secret, 123456 as unknown as string, now), undefined, 'not a string');
  t.throws(() => verifyTotp(secret, c, now, { window: 11 }), RangeError, 'window over 10');
  t.throws(() => verifyTotp(secret, c, now, { digits: 9 }), RangeError, 'digits over 8');
});

t.test('secrets: new ones, bounds', async (t) => {
  const a = newTotpSecret();
  t.match(a, /^[A-Z2-7]{32}$/, '32 base32 characters');
  t.equal(base32Decode(a).length, 20, '20 bytes');
  t.not(a, newTotpSecret(), 'random');
  throwsCode(t, () => verifyTotp(base32Encode(Buffer.alloc(9)), '123456', 0), 'CLOUD_ERR_TOTP_SECRET', /9 bytes/);
  throwsCode(t, () => verifyTotp(Buffer.alloc(65), '123456', 0), 'CLOUD_ERR_TOTP_SECRET', /65 bytes/);
  throwsCode(t, () => totpCode('not base32!', 0), 'CLOUD_ERR_TOTP_SECRET');
  t.equal(verifyTotp(base32Encode(Buffer.alloc(10)), totpCode(Buffer.alloc(10), 0), 0), 0, '10 bytes is enough');
});

t.test('otpauth URI', async (t) => {
  const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
  const uri = totpUri(secret, 'zhang.san@Pudong 1', 'Yiwang City:Shanghai');
  t.equal(
    uri,
    'otpauth://totp/Yiwang%20City%3AShanghai:zhang.san%40Pudong%201?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' +
      '&issuer=Yiwang%20City%3AShanghai&algorithm=SHA1&digits=6&period=30',
  );
  const u = new URL(uri);
  t.equal(u.protocol, 'otpauth:');
  t.equal(u.searchParams.get('issuer'), 'Yiwang City:Shanghai');
  t.equal(u.searchParams.get('secret'), secret);
  t.match(
    totpUri('jbswy3dpehpk3pxp', '李四', '一网'),
    /^otpauth:\/\/totp\/%E4%B8%80%E7%BD%91:%E6%9D%8E%E5%9B%9B\?secret=JBSWY3DPEHPK3PXP&/,
  );
  throwsCode(t, () => totpUri('MY======', 'a', 'b'), 'CLOUD_ERR_TOTP_SECRET');
});
