/** Locations inside the repository that work both from sources (tests) and from dist/. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'yiwang') return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the yiwang package root');
    dir = up;
  }
}

/** The package root (where package.json is). */
export const REPO_ROOT = findRoot();
/** The shared reference data (datasets, vectors, fixtures): $YIWANG_SHARED or ../shared. */
export const SHARED_DIR = process.env.YIWANG_SHARED ?? join(REPO_ROOT, '..', 'shared');
