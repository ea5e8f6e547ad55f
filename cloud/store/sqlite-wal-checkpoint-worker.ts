/**
 * Worker thread of SqliteWalCheckpointer (sqlite-wal-checkpointer.ts): its own connection to the store's file
 * runs PASSIVE WAL checkpoints (never waiting on the writer) every `everyMs`, so the copy of the
 * WAL into the database and its disk flush happen off the event loop of the cloud.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const { path, everyMs } = workerData as { path: string; everyMs: number };
const db = new Database(path);
db.pragma('busy_timeout = 1000');
const timer = setInterval(() => {
  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
    parentPort!.postMessage({ log: r?.log ?? 0, checkpointed: r?.checkpointed ?? 0 });
  } catch (err) {
    parentPort!.postMessage({ error: (err as Error).message });
  }
}, everyMs);
timer.ref();
