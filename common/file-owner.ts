/**
 * Who owns a file, for permission messages ("run it as yiwang"): the file's owner, or when it
 * cannot be looked at, the owner of the nearest directory above it that can (the one whose mode
 * keeps us out).
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export interface FileOwner {
  /** The path whose owner this is (the file itself or a directory above it). */
  path: string;
  uid: number;
  /** The user name from /etc/passwd, if listed there. */
  user: string | undefined;
}

/** The user name of `uid` from /etc/passwd (no NSS lookup), undefined when not listed. */
export function userName(uid: number): string | undefined {
  try {
    for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
      const f = line.split(':');
      if (f.length > 2 && Number(f[2]) === uid && f[2] !== '') return f[0];
    }
  } catch {
    /* no passwd file */
  }
  return undefined;
}

export function fileOwner(path: string): FileOwner | undefined {
  let p = resolve(path);
  for (;;) {
    try {
      const st = statSync(p);
      return { path: p, uid: st.uid, user: userName(st.uid) };
    } catch {
      const up = dirname(p);
      if (up === p) return undefined;
      p = up;
    }
  }
}

/** `yiwang (uid 998)`, or `uid 998` for a user not in /etc/passwd. */
export function describeOwner(o: FileOwner): string {
  return o.user ? `${o.user} (uid ${o.uid})` : `uid ${o.uid}`;
}
