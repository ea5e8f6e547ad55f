import { defineErrors, YiwangError } from '../../common/errors.js';

/** Coded errors of operator sign-in (cloud/auth/; docs/reference/errors.md, "Operators and sign-in"). */
export const AUTH_ERRORS = defineErrors({
  CLOUD_ERR_PASSWORD_RULES: {
    http: 400,
    summary:
      'A new password was refused by the password rules: shorter than the minimum (12 characters by default) or over 256 bytes, fewer than 3 of the 4 character classes (lower case, upper case, digits, others), containing the user name, one character repeated, or one of the most common passwords. The message lists every rule it breaks.',
    hint: 'Choose a longer password that mixes letters of both cases, digits and other characters and is not built on the user name; a passphrase of several unrelated words with a digit and a sign works well. Passwords over 256 bytes are refused before hashing.',
  },
  CLOUD_ERR_LOGIN_LOCKED: {
    http: 429,
    summary:
      'Sign-in for this account name is locked after too many failed attempts (5 within 15 minutes by default); the lock lasts 15 minutes, doubling with each further lock up to 24 hours. The message and the Retry-After header say how long is left. Names that are not accounts lock the same way.',
    hint: 'Wait until the lock ends, or ask a security administrator to unlock the account. Repeated locks of one account are worth a look in the audit log (sign-in failures with their source addresses).',
  },
  CLOUD_ERR_LOGIN_THROTTLED: {
    http: 429,
    summary:
      'Sign-in from this address is slowed down: after 3 failed attempts each further one must wait (1 s, doubling up to 30 s), and there is a cap on sign-in attempts per minute from one address. The message and the Retry-After header say when to try again.',
    hint: 'Wait the number of seconds given and try again. Many users behind one address (a NAT or proxy) share the back-off and the cap; when that is expected, the per-minute cap can be raised (option addressMaxPerMinute of LoginThrottle).',
  },
  CLOUD_ERR_TOTP_SECRET: {
    summary:
      'A TOTP secret is not usable: not RFC 4648 base32 (a character outside A-Z and 2-7, a length no encoding produces, wrong padding, non-zero trailing bits), over the input bound, or decoding to fewer than 10 or more than 64 bytes.',
    hint: "The secret stored for the user is damaged: reset the user's second factor so they enrol their authenticator again with a new secret.",
  },
});

/** CLOUD_ERR_LOGIN_LOCKED or CLOUD_ERR_LOGIN_THROTTLED, with the seconds to wait (for a Retry-After header). */
export class LoginRefusal extends YiwangError {
  constructor(
    code: 'CLOUD_ERR_LOGIN_LOCKED' | 'CLOUD_ERR_LOGIN_THROTTLED',
    detail: string,
    readonly retryAfterS: number,
  ) {
    super(code, detail);
  }

  override toJSON(): { code: string; message: string; hint: string; retryAfterS: number } {
    return { ...super.toJSON(), retryAfterS: this.retryAfterS };
  }
}
