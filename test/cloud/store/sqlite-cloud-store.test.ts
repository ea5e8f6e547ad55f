/** The CloudStore conformance suite (data plane) against SqliteCloudStore, on a temp file. */
import t from 'tap';
import { join } from 'node:path';
import { SqliteCloudStore } from '../../../cloud/store/sqlite-cloud-store.js';
import { tempDir } from '../../helpers/fleet.js';
import { cloudStoreConformance } from './cloud-conformance.js';

cloudStoreConformance(t, async (st) => {
  const store = new SqliteCloudStore(join(tempDir('yw-cs-'), 'cloud.db'));
  st.teardown(() => store.close());
  return store;
});
