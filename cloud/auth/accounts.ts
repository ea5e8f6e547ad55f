/**
 * Operator accounts and sign-in (issue 22): accounts with a role and a scope, passwords (scrypt,
 * passwords.ts), an optional TOTP second factor (totp.ts), lockout and back-off (lockout.ts), and
 * sessions — a cookie for the dashboard (HttpOnly, SameSite=Strict, Secure under TLS, with a CSRF
 * token the client echoes on writes) or a bearer token for the CLI (`yws_…`); idle and absolute
 * timeouts; at most `maxSessionsPerUser` (the oldest ends). The session value is never stored,
 * only its SHA-256. Clock injectable for tests.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { YiwangError } from '../../common/errors.js';
import type { SessionRecord, UserRecord, UserStore } from '../store/user-store.js';
import type { Sealer } from '../keys/vault-sealer.js';
import type { LoginThrottle } from './lockout.js';
import { checkPasswordRules, hashPassword, verifyPassword } from './passwords.js';
import { isUserRole, type UserRole } from './roles.js';
import type { Scope } from './scope.js';
import { newTotpSecret, totpUri, verifyTotp } from './totp.js';

export type { Sealer } from '../keys/vault-sealer.js';

export interface AccountsOptions {
  users: UserStore;
  throttle: LoginThrottle;
  sealer: Sealer;
  /** A session idle longer ends (default 30 min). */
  sessionIdleMs?: number;
  /** A session older ends whatever its use (default 12 h). */
  sessionMaxMs?: number;
  maxSessionsPerUser?: number;
  passwordMinLength?: number;
  /** Issuer shown by authenticator apps. */
  totpIssuer?: string;
  now?: () => number;
}

export const SESSION_COOKIE = 'yw_session';
/** How long a second factor may wait for its confirming code. */
const PENDING_TOTP_MS = 10 * 60_000;
const NAME_RE = /^[a-z0-9][a-z0-9._-]{1,63}$/;
const SCOPE_ITEM_RE = /^[^\x00-\x1f]{1,64}$/;
/** A hash verified when the account does not exist, so that timing does not tell (made once, lazily). */
let dummyHash: Promise<string> | undefined;

export interface AccountView {
  name: string;
  displayName: string;
  role: UserRole;
  districts: string[];
  groups: string[];
  totp: boolean;
  disabled: boolean;
  createdMs: number;
  passwordChangedMs: number;
  lastLoginMs: number | null;
}

export function accountView(u: UserRecord): AccountView {
  return {
    name: u.name,
    displayName: u.displayName,
    role: u.role,
    districts: u.districts,
    groups: u.groups,
    totp: u.totpSealed !== '',
    disabled: u.disabled,
    createdMs: u.createdMs,
    passwordChangedMs: u.passwordChangedMs,
    lastLoginMs: u.lastLoginMs,
  };
}

export interface SignedIn {
  user: UserRecord;
  session: SessionRecord;
  scope: Scope;
}

const bad = (m: string, status: 'bad' | 'exists' | 'missing' = 'bad'): never => {
  throw new YiwangError(
    status === 'exists' ? 'CLOUD_ERR_CONFLICT' : status === 'missing' ? 'CLOUD_ERR_NOT_FOUND' : 'CLOUD_ERR_ACCOUNT',
    m,
  );
};

function strList(v: unknown, what: string): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || v.length > 256 || v.some((x) => typeof x !== 'string' || !SCOPE_ITEM_RE.test(x)))
    bad(`${what} must be a list of up to 256 names (1–64 characters each)`);
  return [...new Set(v as string[])].sort();
}

export const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

export class Accounts {
  private readonly now: () => number;
  readonly idleMs: number;
  readonly maxMs: number;
  private readonly maxSessions: number;
  readonly counters = { signIns: 0, signInsFailed: 0, sessionsExpired: 0, sessionsEvicted: 0 };

  constructor(private readonly o: AccountsOptions) {
    this.now = o.now ?? Date.now;
    this.idleMs = o.sessionIdleMs ?? 30 * 60_000;
    this.maxMs = o.sessionMaxMs ?? 12 * 3_600_000;
    this.maxSessions = o.maxSessionsPerUser ?? 10;
  }

  count(): Promise<number> {
    return this.o.users.countUsers();
  }

  async list(): Promise<AccountView[]> {
    return (await this.o.users.listUsers()).map(accountView);
  }

  async get(name: string): Promise<AccountView> {
    const u = await this.o.users.getUser(name);
    return u ? accountView(u) : bad(`no account ${name}`, 'missing');
  }

  /** Creates an account ({name, password, role, displayName?, districts?, groups?}). */
  async create(b: Record<string, unknown>): Promise<AccountView> {
    const name = typeof b.name === 'string' ? b.name : '';
    if (!NAME_RE.test(name)) bad('name: 2–64 of a-z 0-9 . _ - (starting with a letter or digit)');
    if (!isUserRole(b.role)) bad('role must be one of viewer, operator, device_manager, security_admin, auditor');
    const password = typeof b.password === 'string' ? b.password : bad('password is required');
    const rules = checkPasswordRules(password, {
      username: name,
      ...(this.o.passwordMinLength !== undefined ? { minLength: this.o.passwordMinLength } : {}),
    });
    if (rules) throw rules;
    const now = this.now();
    const u: UserRecord = {
      name,
      displayName: typeof b.displayName === 'string' ? b.displayName.slice(0, 128) : '',
      role: b.role as UserRole,
      districts: strList(b.districts, 'districts'),
      groups: strList(b.groups, 'groups'),
      passwordHash: await hashPassword(password),
      totpSealed: '',
      totpLastStep: -1,
      disabled: false,
      createdMs: now,
      passwordChangedMs: now,
      lastLoginMs: null,
    };
    if (!(await this.o.users.createUser(u))) bad(`account ${name} exists already`, 'exists');
    return accountView(u);
  }

  /**
   * Changes role, scope, display name, disabled, or sets a new password (ending its sessions).
   * `by`: the account making the change — its own password and second factor are changed through
   * its session (with the current password), never here. Changes run one at a time (the last
   * security administrator check reads, then writes).
   */
  update(name: string, b: Record<string, unknown>, by?: string): Promise<AccountView> {
    const run = this.changes.then(() => this.updateNow(name, b, by));
    this.changes = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private changes: Promise<void> = Promise.resolve();

  private async updateNow(name: string, b: Record<string, unknown>, by?: string): Promise<AccountView> {
    const u = (await this.o.users.getUser(name)) ?? bad(`no account ${name}`, 'missing');
    if (by === name && (b.password !== undefined || b.totp !== undefined))
      bad('your own password and second factor are changed under /api/v1/session (with your current password)');
    const allowed = new Set(['role', 'districts', 'groups', 'displayName', 'disabled', 'password', 'totp']);
    const unknown = Object.keys(b).filter((k) => !allowed.has(k));
    if (unknown.length) bad(`unknown field ${unknown.join(', ')}`);
    if (b.role !== undefined && !isUserRole(b.role))
      bad('role must be one of viewer, operator, device_manager, security_admin, auditor');
    if (b.disabled !== undefined && typeof b.disabled !== 'boolean') bad('disabled must be true or false');
    if (b.totp !== undefined && b.totp !== false) bad('totp: only false (remove the second factor) can be set here');
    const losesAdmin =
      u.role === 'security_admin' && ((b.role !== undefined && b.role !== 'security_admin') || b.disabled === true);
    if (
      losesAdmin &&
      (await this.o.users.listUsers()).filter((x) => x.role === 'security_admin' && !x.disabled).length <= 1
    )
      bad('this is the last security administrator: make another one first');
    let passwordHash: string | undefined;
    if (b.password !== undefined) {
      if (typeof b.password !== 'string') bad('password must be a string');
      const rules = checkPasswordRules(b.password as string, {
        username: name,
        ...(this.o.passwordMinLength !== undefined ? { minLength: this.o.passwordMinLength } : {}),
      });
      if (rules) throw rules;
      passwordHash = await hashPassword(b.password as string);
    }
    await this.o.users.updateUser(name, {
      ...(b.role !== undefined ? { role: b.role as UserRole } : {}),
      ...(b.districts !== undefined ? { districts: strList(b.districts, 'districts') } : {}),
      ...(b.groups !== undefined ? { groups: strList(b.groups, 'groups') } : {}),
      ...(typeof b.displayName === 'string' ? { displayName: b.displayName.slice(0, 128) } : {}),
      ...(b.disabled !== undefined ? { disabled: b.disabled as boolean } : {}),
      ...(passwordHash ? { passwordHash, passwordChangedMs: this.now() } : {}),
      ...(b.totp === false ? { totpSealed: '', totpLastStep: -1 } : {}),
    });
    // what changes who the account is ends its sessions: they sign in again under the new rules
    if (
      passwordHash ||
      b.disabled === true ||
      b.role !== undefined ||
      b.districts !== undefined ||
      b.groups !== undefined
    )
      await this.o.users.deleteUserSessions(name);
    return this.get(name);
  }

  unlock(name: string): void {
    this.o.throttle.unlock(name.toLowerCase());
  }

  endSessions(name: string): Promise<number> {
    return this.o.users.deleteUserSessions(name);
  }

  /**
   * Signs in; answers the new session's value (cookie or bearer token) and CSRF token. Failures
   * are one error (CLOUD_ERR_LOGIN_FAILED) whatever was wrong; a lock or back-off answers first.
   */
  async signIn(
    nameTyped: unknown,
    password: unknown,
    totp: unknown,
    address: string,
  ): Promise<{ value: string; session: SessionRecord; user: UserRecord }> {
    const name = typeof nameTyped === 'string' ? nameTyped.trim().toLowerCase().slice(0, 256) : '';
    const refused = this.o.throttle.check(name, address);
    if (refused) throw refused;
    const pw = typeof password === 'string' && Buffer.byteLength(password) <= 256 ? password : '';
    const u = NAME_RE.test(name) ? await this.o.users.getUser(name) : undefined;
    dummyHash ??= hashPassword('not-a-password-Zz9!');
    const ok = await verifyPassword(pw, u?.passwordHash ?? (await dummyHash));
    const fail = (): never => {
      this.counters.signInsFailed++;
      this.o.throttle.failed(name, address);
      throw new YiwangError('CLOUD_ERR_LOGIN_FAILED', 'wrong account name or password (or the account is disabled)');
    };
    if (!u || !ok || u.disabled || pw === '') return fail();
    if (u.totpSealed) {
      if (totp === undefined || totp === '')
        throw new YiwangError('CLOUD_ERR_TOTP_REQUIRED', 'this account has a second factor: give its TOTP code');
      const step = verifyTotp(this.o.sealer.open(u.totpSealed), String(totp), this.now(), {
        lastUsedStep: u.totpLastStep,
      });
      if (step === undefined) return fail();
      await this.o.users.updateUser(u.name, { totpLastStep: step });
    }
    this.o.throttle.succeeded(name, address);
    this.counters.signIns++;
    const now = this.now();
    const value = randomBytes(32).toString('base64url');
    const session: SessionRecord = {
      idHash: sha256(value),
      user: u.name,
      createdMs: now,
      lastSeenMs: now,
      csrf: randomBytes(18).toString('base64url'),
      address: address.slice(0, 64),
    };
    await this.o.users.createSession(session);
    await this.o.users.updateUser(u.name, { lastLoginMs: now });
    const all = await this.o.users.userSessions(u.name);
    for (const old of all.slice(0, Math.max(0, all.length - this.maxSessions))) {
      await this.o.users.deleteSession(old.idHash);
      this.counters.sessionsEvicted++;
    }
    return { value, session, user: u };
  }

  /** The account behind a session value; CLOUD_ERR_SESSION_EXPIRED when it ended (and it is deleted). */
  async session(value: string): Promise<SignedIn> {
    const s = value.length <= 128 ? await this.o.users.getSession(sha256(value)) : undefined;
    const ended = (): never => {
      throw new YiwangError('CLOUD_ERR_SESSION_EXPIRED', 'the session ended: sign in again');
    };
    if (!s) return ended();
    const now = this.now();
    if (now - s.lastSeenMs > this.idleMs || now - s.createdMs > this.maxMs) {
      this.counters.sessionsExpired++;
      await this.o.users.deleteSession(s.idHash);
      return ended();
    }
    const u = await this.o.users.getUser(s.user);
    if (!u || u.disabled) {
      await this.o.users.deleteSession(s.idHash);
      return ended();
    }
    // a write at most once a minute per session, not one per request
    if (now - s.lastSeenMs > 60_000) {
      await this.o.users.touchSession(s.idHash, now);
      s.lastSeenMs = now;
    }
    return { user: u, session: s, scope: { districts: u.districts, groups: u.groups } };
  }

  /** Whether a session still holds (not ended, not expired, its account enabled), without using it. */
  async stillSignedIn(s: SessionRecord): Promise<boolean> {
    const now = this.now();
    const cur = await this.o.users.getSession(s.idHash);
    if (!cur || now - cur.lastSeenMs > this.idleMs || now - cur.createdMs > this.maxMs) return false;
    const u = await this.o.users.getUser(cur.user);
    return !!u && !u.disabled;
  }

  signOut(s: SessionRecord): Promise<void> {
    return this.o.users.deleteSession(s.idHash);
  }

  /** Checks a write's CSRF token against its cookie session. */
  checkCsrf(s: SessionRecord, header: string | undefined): void {
    const a = Buffer.from(header ?? '');
    const b = Buffer.from(s.csrf);
    if (a.length !== b.length || !timingSafeEqual(a, b))
      throw new YiwangError(
        'CLOUD_ERR_CSRF',
        "a write with the session cookie needs the session's x-csrf-token header",
      );
  }

  /** Changes one's own password (the current one is asked again); other sessions end. */
  async changePassword(s: SignedIn, current: unknown, next: unknown): Promise<void> {
    if (typeof current !== 'string' || !(await verifyPassword(current, s.user.passwordHash)))
      throw new YiwangError('CLOUD_ERR_ACCOUNT', 'the current password is wrong');
    if (typeof next !== 'string') bad('password must be a string');
    const rules = checkPasswordRules(next as string, {
      username: s.user.name,
      ...(this.o.passwordMinLength !== undefined ? { minLength: this.o.passwordMinLength } : {}),
    });
    if (rules) throw rules;
    await this.o.users.updateUser(s.user.name, {
      passwordHash: await hashPassword(next as string),
      passwordChangedMs: this.now(),
    });
    for (const other of await this.o.users.userSessions(s.user.name))
      if (other.idHash !== s.session.idHash) await this.o.users.deleteSession(other.idHash);
  }

  /**
   * Starts enrolling a second factor: a new secret, pending until confirmed with a code. The
   * pending value is sealed with the account name and a 10-minute expiry: it enrols only this
   * account, only soon. An account that has a second factor must remove it first (with its
   * password): a stolen session cannot swap it.
   */
  async totpBegin(s: SignedIn): Promise<{ secret: string; uri: string; pending: string }> {
    if (s.user.totpSealed)
      bad('this account has a second factor: remove it first (DELETE /api/v1/session/totp with the password)');
    const secret = newTotpSecret();
    return {
      secret,
      uri: totpUri(secret, s.user.name, this.o.totpIssuer ?? 'Yiwang'),
      pending: this.o.sealer.seal(JSON.stringify({ u: s.user.name, s: secret, e: this.now() + PENDING_TOTP_MS })),
    };
  }

  /** Confirms enrolment with the sealed pending secret and a current code. */
  async totpConfirm(s: SignedIn, pending: unknown, code: unknown): Promise<void> {
    if (typeof pending !== 'string' || pending.length > 4096) bad('pending: the value POST /api/v1/session/totp gave');
    if (s.user.totpSealed) bad('this account has a second factor already');
    let p: { u?: unknown; s?: unknown; e?: unknown };
    try {
      p = JSON.parse(this.o.sealer.open(pending as string)) as typeof p;
    } catch {
      return bad('pending: not a value this cloud gave');
    }
    if (p.u !== s.user.name || typeof p.s !== 'string' || typeof p.e !== 'number')
      return bad('pending: given to another account');
    if (p.e < this.now()) return bad('pending: expired (10 minutes): start again');
    const step = verifyTotp(p.s, String(code ?? ''), this.now());
    if (step === undefined) throw new YiwangError('CLOUD_ERR_ACCOUNT', 'the TOTP code does not match');
    await this.o.users.updateUser(s.user.name, { totpSealed: this.o.sealer.seal(p.s), totpLastStep: step });
  }

  /** Removes one's own second factor (the password is asked again). */
  async totpRemove(s: SignedIn, password: unknown): Promise<void> {
    if (typeof password !== 'string' || !(await verifyPassword(password, s.user.passwordHash)))
      throw new YiwangError('CLOUD_ERR_ACCOUNT', 'the password is wrong');
    await this.o.users.updateUser(s.user.name, { totpSealed: '', totpLastStep: -1 });
  }

  pruneSessions(): Promise<number> {
    const now = this.now();
    return this.o.users.pruneSessions(now - this.idleMs, now - this.maxMs);
  }
}
