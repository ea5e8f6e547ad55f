import { defineErrors } from '../../common/errors.js';

/** Coded errors of operator accounts and sessions (cloud/auth/accounts.ts; docs/reference/errors.md, "Operators and sign-in"). */
export const ACCOUNT_ERRORS = defineErrors({
  CLOUD_ERR_LOGIN_FAILED: {
    http: 401,
    summary:
      'Sign-in refused: the account name or the password is wrong, the account is disabled, or the second factor (TOTP code) is wrong or was already used. The answer does not say which, so that it tells nothing about which accounts exist.',
    hint: 'Check the name and password (and the authenticator code, which is good for 30 s and only once); repeated failures lock the account (CLOUD_ERR_LOGIN_LOCKED). A security administrator sees the reason in the audit log.',
  },
  CLOUD_ERR_TOTP_REQUIRED: {
    http: 401,
    summary: 'The account has a second factor: the sign-in needs its current TOTP code ("totp").',
    hint: 'Give the 6-digit code of your authenticator app (yiwang-cloud login asks for it).',
  },
  CLOUD_ERR_SESSION_EXPIRED: {
    http: 401,
    summary:
      'The sign-in session ended: idle longer than auth.session_idle_s, older than auth.session_max_s, signed out, ended by a security administrator, or the account was disabled or its password changed.',
    hint: 'Sign in again.',
  },
  CLOUD_ERR_CSRF: {
    http: 403,
    summary:
      "A write with a session cookie came without the session's CSRF token (header x-csrf-token), or with another one: it may come from another site riding the cookie.",
    hint: 'Clients that use the cookie send the token the sign-in answered (csrfToken) in x-csrf-token on every POST, PUT, PATCH and DELETE; scripts use an API key or a bearer session token instead of the cookie.',
  },
  CLOUD_ERR_TOKEN_DISABLED: {
    http: 401,
    summary:
      'The bootstrap token (http.api_token) — or a key without an owner account, which is the token\'s — is switched off: auth.token_mode is "off", or "first-run" and operator accounts exist (the token may then only create the first ones; ownerless keys are refused).',
    hint: 'Sign in with an operator account (yiwang-cloud login --user …) or use an API key of an account.',
  },
  CLOUD_ERR_ACCOUNT: {
    http: 400,
    summary:
      "An account request is invalid: a bad name (2–64 of a-z 0-9 . _ -), an unknown role, a bad scope, a change that would leave no security administrator, or a wrong current password or TOTP code when changing one's own password or second factor. (An account that exists already answers CLOUD_ERR_CONFLICT, one that does not CLOUD_ERR_NOT_FOUND.)",
    hint: 'Roles: viewer, operator, device_manager, security_admin, auditor (docs/reference/security.md); districts and groups are lists of names.',
  },
});
