/**
 * Operator accounts and their sign-in sessions (issue 22): one interface, implemented on SQLite
 * (sqlite-user-store.ts) and PostgreSQL (postgres/pg-user-store.ts). Passwords are stored as
 * scrypt hashes (cloud/auth/passwords.ts), sessions by the SHA-256 of their cookie value (a stolen
 * database holds no usable session), TOTP secrets sealed by the caller.
 */
import type { UserRole } from '../auth/roles.js';

export interface UserRecord {
  /** Login name: 2–64 of a–z 0–9 . _ - (lower case). */
  name: string;
  displayName: string;
  role: UserRole;
  /** Scope (cloud/auth/scope.ts); both empty = the whole city. */
  districts: string[];
  groups: string[];
  passwordHash: string;
  /** Sealed TOTP secret; '' = no second factor. */
  totpSealed: string;
  /** Last TOTP time step accepted (a code is never accepted twice). */
  totpLastStep: number;
  disabled: boolean;
  createdMs: number;
  passwordChangedMs: number;
  lastLoginMs: number | null;
}

export type UserPatch = Partial<
  Pick<
    UserRecord,
    | 'displayName'
    | 'role'
    | 'districts'
    | 'groups'
    | 'passwordHash'
    | 'totpSealed'
    | 'totpLastStep'
    | 'disabled'
    | 'passwordChangedMs'
    | 'lastLoginMs'
  >
>;

export interface SessionRecord {
  /** SHA-256 (hex) of the session cookie's value. */
  idHash: string;
  user: string;
  createdMs: number;
  lastSeenMs: number;
  /** The CSRF token the client must echo on writes (x-csrf-token). */
  csrf: string;
  address: string;
}

export interface UserStore {
  countUsers(): Promise<number>;
  getUser(name: string): Promise<UserRecord | undefined>;
  listUsers(): Promise<UserRecord[]>;
  /** False when the name is taken. */
  createUser(u: UserRecord): Promise<boolean>;
  /** False when there is no such user. */
  updateUser(name: string, patch: UserPatch): Promise<boolean>;
  createSession(s: SessionRecord): Promise<void>;
  getSession(idHash: string): Promise<SessionRecord | undefined>;
  touchSession(idHash: string, lastSeenMs: number): Promise<void>;
  deleteSession(idHash: string): Promise<void>;
  /** Sessions of a user, oldest first. */
  userSessions(name: string): Promise<SessionRecord[]>;
  deleteUserSessions(name: string): Promise<number>;
  /** Deletes sessions last seen before `idleBeforeMs` or created before `createdBeforeMs`. */
  pruneSessions(idleBeforeMs: number, createdBeforeMs: number): Promise<number>;
}

/** Row columns shared by both backends. */
export interface UserRow {
  name: string;
  display_name: string;
  role: string;
  districts: string;
  groups: string;
  password_hash: string;
  totp_sealed: string;
  totp_last_step: number | string;
  disabled: number | boolean;
  created_ms: number | string;
  password_changed_ms: number | string;
  last_login_ms: number | string | null;
}

export interface SessionRow {
  id_hash: string;
  user_name: string;
  created_ms: number | string;
  last_seen_ms: number | string;
  csrf: string;
  address: string;
}

export const userOf = (r: UserRow): UserRecord => ({
  name: r.name,
  displayName: r.display_name,
  role: r.role as UserRole,
  districts: JSON.parse(r.districts) as string[],
  groups: JSON.parse(r.groups) as string[],
  passwordHash: r.password_hash,
  totpSealed: r.totp_sealed,
  totpLastStep: Number(r.totp_last_step),
  disabled: r.disabled === true || r.disabled === 1,
  createdMs: Number(r.created_ms),
  passwordChangedMs: Number(r.password_changed_ms),
  lastLoginMs: r.last_login_ms === null ? null : Number(r.last_login_ms),
});

export const sessionOf = (r: SessionRow): SessionRecord => ({
  idHash: r.id_hash,
  user: r.user_name,
  createdMs: Number(r.created_ms),
  lastSeenMs: Number(r.last_seen_ms),
  csrf: r.csrf,
  address: r.address,
});

/** The column of each patchable field, and its value as stored. */
export function patchColumns(patch: UserPatch): [string, unknown][] {
  const out: [string, unknown][] = [];
  const col: Record<keyof UserPatch, string> = {
    displayName: 'display_name',
    role: 'role',
    districts: 'districts',
    groups: 'groups',
    passwordHash: 'password_hash',
    totpSealed: 'totp_sealed',
    totpLastStep: 'totp_last_step',
    disabled: 'disabled',
    passwordChangedMs: 'password_changed_ms',
    lastLoginMs: 'last_login_ms',
  };
  for (const [k, v] of Object.entries(patch) as [keyof UserPatch, unknown][]) {
    if (v === undefined) continue;
    out.push([col[k], k === 'districts' || k === 'groups' ? JSON.stringify(v) : v]);
  }
  return out;
}

export const USER_COLUMNS =
  'name, display_name, role, districts, groups, password_hash, totp_sealed, totp_last_step, disabled, created_ms, password_changed_ms, last_login_ms';
