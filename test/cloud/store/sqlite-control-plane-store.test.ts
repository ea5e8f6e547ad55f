/** The control-plane conformance suite against SqliteControlPlaneStore on the connection of a SqliteCloudStore. */
import t from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteCloudStore } from '../../../cloud/store/sqlite-cloud-store.js';
import { SqliteControlPlaneStore } from '../../../cloud/store/sqlite-control-plane-store.js';
import { controlPlaneConformance } from './control-plane-conformance.js';

controlPlaneConformance(t, async (st) => {
  const dir = mkdtempSync(join(tmpdir(), 'yw-cp-'));
  const cloud = new SqliteCloudStore(join(dir, 'cloud.db'), 0);
  const cp = new SqliteControlPlaneStore(cloud, 0);
  st.teardown(async () => {
    await cp.close();
    await cloud.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { cp, cloud };
});
