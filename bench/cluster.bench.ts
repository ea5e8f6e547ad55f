/**
 * cluster: `--gateways` (2,000) simulated gateways drain their backlogs (`--readings` in all,
 * default 2,000,000: Beijing-like hourly readings, fixed seed, `--batch` 500 per batch, `--window`
 * 4 batches outstanding per gateway) into 1, 2 and 3 `yiwang-cloud serve` nodes (`--nodes 1,2,3`,
 * child processes with the shipped flags) sharing one PostgreSQL database (and one Redis when the
 * cloud has cluster.redis_url), the gateways dealt round-robin over the nodes' MQTT ports. Only
 * confirmed readings count: stored_readings of the BatchAcks, sent by the node after its commit.
 * readings/s = confirmed readings / (last ack − first send). After each drain the readings table
 * must hold exactly the readings acknowledged, once each (exit 1 otherwise).
 * Baseline in the same run: the same rows, in the nodes' own COPY text encoding, COPYed by one
 * client straight into the readings table of the same database (one COPY and commit per 200,000
 * rows). Also the same drain into one node on SQLite, and, in a phase of its own, the peak RSS
 * (VmHWM) of fresh nodes holding `--rss-gateways` (20,000) idle connected gateways (the fleet
 * simulator, Health every 30 s) split over N nodes, for each N of `--rss-nodes` (default: --nodes).
 * `--rounds` (2) rounds, alternating the order of the runs; figures are medians over the rounds.
 * cpu_s_per_mreadings: the nodes' CPU seconds (all nodes, /proc/<pid>/stat) per million readings
 * of the best cluster configuration.
 *   npm run bench -- cluster [--gateways 2000] [--readings 2000000] [--nodes 1,2,3] [--rounds 2]
 *     [--batch 500] [--window 4] [--pool 10] [--sim-procs 2] [--rss-gateways 20000] [--rss-nodes 1,2,3]
 *     [--no-rss] [--no-sqlite] [--no-redis] [--seed 1]
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../common/paths.js';
import { CLOUD_SCHEMA } from '../cloud/config.js';
import { copyLine } from '../cloud/store/postgres/pg-readings-copy.js';
import type { FleetOptions } from '../scripts/sim/fleet.js';
import {
  backlogBatches,
  closeBatchFile,
  type DrainOptions,
  type DrainStats,
  gatewayReadings,
  openBatchFile,
  writeBatchRecords,
} from '../scripts/sim/fleet-drain.js';
import { argValue, report } from './report.js';
import {
  cleanRedis,
  copyBaseline,
  countPg,
  createDatabase,
  dbUrl,
  dropDatabase,
  ensurePartitions,
  pgCpuSeconds,
  registerPgGateways,
  resetPg,
  sqliteRegistry,
  writeNodeToml,
} from './cluster-setup.js';
import { cpuSeconds, peakRssMb, raiseFdLimit, rssMb, startProc, stopProc, type Proc } from './fleet-procs.js';

const args = process.argv.slice(2);
const num = (flag: string, dflt: number): number => Number(argValue(args, flag) ?? dflt);
const list = (flag: string, dflt: number[]): number[] => {
  const v = argValue(args, flag);
  return v ? v.split(',').map(Number) : dflt;
};
const GATEWAYS = num('--gateways', 2000);
const READINGS = num('--readings', 2_000_000);
const BATCH = num('--batch', 500);
const WINDOW = num('--window', 4);
const NODES = list('--nodes', [1, 2, 3]);
const ROUNDS = num('--rounds', 2);
const POOL = num('--pool', 10);
const SIM_PROCS = num('--sim-procs', 2);
const RSS_GATEWAYS = num('--rss-gateways', 20_000);
const RSS_NODES = list('--rss-nodes', NODES);
const RSS_SETTLE_S = num('--rss-settle-s', 35);
const RSS_CONNECT_PER_S = num('--rss-connect-per-s', 1000);
const RSS_CONNECT_S = num('--rss-connect-s', 120);
const SEED = num('--seed', 1);
const DEADLINE_S = num('--deadline-s', 600);
const NO_RSS = args.includes('--no-rss');
const NO_SQLITE = args.includes('--no-sqlite');
const USE_REDIS = !args.includes('--no-redis') && 'cluster' in CLOUD_SCHEMA;
const REDIS_URL = process.env.YW_BENCH_REDIS ?? 'redis://127.0.0.1:6379';
const COPY_CHUNK = 200_000;
/** Open files a node keeps for itself (store, listeners, PostgreSQL, Redis, HTTP). */
const FD_RESERVE = 200;
/** Gateways per fleet simulator process (its own open-file limit). */
const SIM_SOCKETS = 8000;
const HOUR_MS = 3_600_000;

const log = (m: string): void => console.error(`[cluster] ${m}`);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

function onceMessage<T>(child: ChildProcess, key: string, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMsg = (m: Record<string, unknown>): void => {
      if (key in m) {
        child.off('message', onMsg);
        child.off('exit', onExit);
        resolve(m as T);
      }
    };
    const onExit = (c: number | null): void => reject(new Error(`${what} exited ${c}`));
    child.on('message', onMsg);
    child.once('exit', onExit);
  });
}

/** Every process this bench started, ended by pid if the bench is interrupted. */
const children = new Set<ChildProcess>();
const track = <T extends ChildProcess | Proc>(x: T): T => {
  const c: ChildProcess = 'ready' in x ? (x as Proc).child : (x as ChildProcess);
  children.add(c);
  c.once('exit', () => children.delete(c));
  return x;
};

async function stopChild(c: ChildProcess): Promise<void> {
  if (c.exitCode !== null || c.signalCode !== null) return;
  const gone = new Promise((r) => c.once('exit', r));
  if (c.connected) c.send({ stop: true });
  const t = setTimeout(() => c.kill('SIGKILL'), 5000);
  await gone;
  clearTimeout(t);
}

interface RunResult {
  label: string;
  perS: number;
  readings: number;
  seconds: number;
  nodeCpuS: number;
  pgCpuS: number;
  nodeRssMb: number[];
  ok: boolean;
  problems: string[];
  stats?: Omit<DrainStats, 'firstSendMs' | 'lastAckMs'>;
}

async function main(): Promise<void> {
  const fdLimit = raiseFdLimit(Math.max(65_536, RSS_GATEWAYS * 2 + 4096));
  const dbName = `yw_bench_${process.pid}`;
  const url = dbUrl(dbName);
  const work = mkdtempSync(join(tmpdir(), 'yw-cluster-'));
  const prefix = `ywbench${process.pid}${randomBytes(3).toString('hex')}:`;
  const perGateway = Math.floor(READINGS / GATEWAYS);
  const total = perGateway * GATEWAYS;
  log(
    `${GATEWAYS} gateways × ${perGateway} readings = ${total}, batches of ${BATCH}, window ${WINDOW}; nodes ${NODES.join(',')}; ${ROUNDS} rounds; database ${dbName}; ${USE_REDIS ? `Redis ${REDIS_URL} prefix ${prefix}` : 'no Redis'}; open files ${fdLimit}`,
  );
  let cleaned = false;
  const cleanUp = async (): Promise<void> => {
    if (cleaned) return;
    cleaned = true;
    for (const c of children) c.kill('SIGKILL');
    await dropDatabase(dbName).catch((err: Error) => log(`dropping ${dbName}: ${err.message}`));
    if (USE_REDIS)
      await cleanRedis(REDIS_URL, prefix).then(
        (n) => log(`${n} Redis keys under ${prefix} deleted`),
        (err: Error) => log(`Redis clean-up: ${err.message}`),
      );
    rmSync(work, { recursive: true, force: true });
  };
  // interrupted (Ctrl-C, timeout): end the nodes and simulators, drop the database, then exit
  const interrupted = (sig: NodeJS.Signals): void => {
    log(`${sig}: cleaning up`);
    process.on('unhandledRejection', () => {}); // the waits on the processes ended below

    void cleanUp().finally(() => process.exit(1));
  };
  process.on('SIGINT', interrupted);
  process.on('SIGTERM', interrupted);
  await createDatabase(dbName);
  const failures: string[] = [];
  const notes: string[] = [];
  try {
    // the gateways: registered once (the drain uses the first GATEWAYS, the RSS phase RSS_GATEWAYS)
    let t0 = performance.now();
    const creds = await registerPgGateways(url, Math.max(GATEWAYS, NO_RSS ? 0 : RSS_GATEWAYS));
    log(`${creds.length} gateways registered in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    // the backlogs: encoded once into a batch file for the simulators, and as COPY text for the baseline
    t0 = performance.now();
    const endHourMs = Math.floor(Date.now() / HOUR_MS) * HOUR_MS;
    const batchFile = join(work, 'batches.bin');
    const fd = openBatchFile(batchFile);
    let batchBytes = 0,
      batches = 0,
      copyLines: string[] = [],
      copyFiles = 0,
      minTs = Infinity,
      maxTs = -Infinity;
    const flushCopy = (): void => {
      writeFileSync(join(work, `copy-${String(copyFiles++).padStart(4, '0')}.txt`), copyLines.join(''));
      copyLines = [];
    };
    for (let g = 0; g < GATEWAYS; g++) {
      const [id] = creds[g]!;
      const rs = gatewayReadings(g, id, perGateway, SEED, endHourMs);
      const bs = backlogBatches(id, rs, BATCH, 1);
      batches += bs.length;
      batchBytes += writeBatchRecords(fd, g, bs);
      for (const r of rs) {
        copyLines.push(copyLine(r, id));
        if (r.ts < minTs) minTs = r.ts;
        if (r.ts > maxTs) maxTs = r.ts;
        if (copyLines.length >= COPY_CHUNK) flushCopy();
      }
    }
    if (copyLines.length) flushCopy();
    closeBatchFile(fd);
    const hours: number[] = [];
    for (let t = minTs; t <= maxTs; t += HOUR_MS) hours.push(t);
    log(
      `${batches} batches (${(batchBytes / total).toFixed(2)} bytes/reading) and ${copyFiles} COPY files written in ${((performance.now() - t0) / 1000).toFixed(1)} s; readings from ${new Date(minTs).toISOString()} to ${new Date(maxTs).toISOString()}`,
    );

    const sqliteTemplate = join(work, 'sqlite-template.db');
    if (!NO_SQLITE) await sqliteRegistry(sqliteTemplate, creds.slice(0, GATEWAYS));

    const nodeDir = (label: string, k: number): string => {
      const d = join(work, `${label}-node-${k}`);
      mkdirSync(d, { recursive: true });
      return d;
    };
    const startPgNodes = async (n: number): Promise<Proc[]> => {
      const nodes: Proc[] = [];
      for (let k = 0; k < n; k++)
        nodes.push(
          track(
            await startProc(
              'cloud',
              writeNodeToml({
                dir: nodeDir('pg', k),
                postgresUrl: url,
                pool: POOL,
                ...(USE_REDIS ? { redisUrl: REDIS_URL, redisPrefix: prefix, nodeId: `bench-node-${k}` } : {}),
              }),
            ),
          ),
        );
      return nodes;
    };

    // ---- peak RSS of nodes holding their share of RSS_GATEWAYS idle connected gateways ----
    const rssByNodes: Record<
      string,
      { peakMb: number[]; rssMb: number[]; connected: number; simulated: number; fleet: Record<string, number> }
    > = {};
    if (!NO_RSS)
      for (const n of RSS_NODES) {
        // a node holds one socket per gateway: without CAP_SYS_RESOURCE the open-file limit caps its share
        const simulated = Math.min(RSS_GATEWAYS, n * (fdLimit - FD_RESERVE));
        if (simulated < RSS_GATEWAYS)
          log(`rss ${n} node(s): open-file limit ${fdLimit}: simulating ${simulated} gateways`);
        const nodes = await startPgNodes(n);
        const sims: ChildProcess[] = [];
        try {
          for (let k = 0; k < n; k++) {
            const share = creds
              .slice(0, simulated)
              .filter((_, i) => i % n === k)
              .map(([id, secret]) => ({ id, secret }));
            // simulator processes of at most SIM_SOCKETS gateways each (their own open-file limit)
            const parts = Math.ceil(share.length / SIM_SOCKETS);
            for (let p = 0; p < parts; p++) {
              const child = track(
                fork(join(REPO_ROOT, 'dist', 'scripts', 'sim', 'fleet.js'), [], {
                  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
                }),
              );
              sims.push(child);
              const start: FleetOptions = {
                mqttUrl: `mqtt://127.0.0.1:${nodes[k]!.ready.mqttPort}`,
                gateways: share.filter((_, i) => i % parts === p),
                healthIntervalMs: 30_000,
                connectPerS: RSS_CONNECT_PER_S / n / parts,
                seed: k * 100 + p + 1,
                mix: { offline: 0, backlogged: 0.03, alarming: 0, unsynced: 0.01 },
              };
              child.send({ start });
            }
          }
          // every gateway connected (or given up after its retries), or RSS_CONNECT_S passed: then count who is up
          let allIn = false;
          const conn = Promise.all(
            sims.map((c) => onceMessage<{ connected: number; refused: number }>(c, 'connected', 'fleet simulator')),
          ).then(() => {
            allIn = true;
          });
          // the simulators' counters, summed: up now, connected ever, refused (CONNACK ≠ 0), socket errors, retries
          const simStats = async (): Promise<Record<string, number>> => {
            const all = await Promise.all(
              sims.map((c) => {
                const m = onceMessage<{ stats: Record<string, unknown> }>(c, 'stats', 'fleet simulator');
                c.send({ stats: true });
                return m;
              }),
            );
            const sum: Record<string, number> = {};
            for (const { stats } of all)
              for (const k of ['up', 'connected', 'refused', 'errors', 'closed', 'retries'])
                sum[k] = (sum[k] ?? 0) + Number(stats[k] ?? 0);
            return sum;
          };
          const upNow = async (): Promise<number> => (await simStats()).up ?? 0;
          const tConnect = Date.now();
          while (!allIn && Date.now() - tConnect < RSS_CONNECT_S * 1000) {
            await Promise.race([conn, sleep(10_000)]);
            if (!allIn) log(`rss ${n} node(s): ${await upNow()} of ${simulated} gateways up`);
          }
          const fleetStats = await simStats();
          const connected = fleetStats.up ?? 0;
          log(`rss ${n} node(s): simulators ${JSON.stringify(fleetStats)}`);
          log(`rss ${n} node(s): ${connected} of ${simulated} gateways connected; settling ${RSS_SETTLE_S} s`);
          await sleep(RSS_SETTLE_S * 1000);
          const peak = nodes.map((p) => peakRssMb(p.child.pid!));
          const now = nodes.map((p) => rssMb(p.child.pid!));
          rssByNodes[String(n)] = { peakMb: peak, rssMb: now, connected, simulated, fleet: fleetStats };
          log(
            `rss ${n} node(s): peak ${peak.map((x) => x.toFixed(0)).join(', ')} MB; now ${now.map((x) => x.toFixed(0)).join(', ')} MB`,
          );
          // a measurement limit, not a loss: reported (stderr, JSON), not failed
          if (connected < simulated)
            notes.push(`rss phase ${n} node(s): only ${connected} of ${simulated} gateways connected`);
        } finally {
          await Promise.all(sims.map(stopChild));
          for (const p of nodes) await stopProc(p);
        }
      }

    // ---- the drains ----
    const drainInto = async (label: string, nodes: Proc[]): Promise<RunResult> => {
      const sims: ChildProcess[] = [];
      const problems: string[] = [];
      try {
        for (let p = 0; p < SIM_PROCS; p++) {
          const child = track(
            fork(join(REPO_ROOT, 'dist', 'scripts', 'sim', 'fleet-drain.js'), [], {
              stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
            }),
          );
          sims.push(child);
          const start: DrainOptions = {
            file: batchFile,
            window: WINDOW,
            connectPerS: 2000 / SIM_PROCS,
            deadlineMs: DEADLINE_S * 1000,
            gateways: creds
              .slice(0, GATEWAYS)
              .map(([id, secret], index) => ({
                index,
                id,
                secret,
                port: Number(nodes[index % nodes.length]!.ready.mqttPort),
              }))
              .filter((g) => g.index % SIM_PROCS === p),
          };
          child.send({ start });
        }
        const conn = await Promise.all(
          sims.map((c) => onceMessage<{ connected: number; refused: number }>(c, 'connected', 'drain simulator')),
        );
        const connected = conn.reduce((a, c) => a + c.connected, 0);
        if (connected < GATEWAYS) problems.push(`only ${connected} of ${GATEWAYS} gateways connected`);
        const pids = nodes.map((p) => p.child.pid!);
        const cpu0 = pids.reduce((a, pid) => a + cpuSeconds(pid), 0);
        const pg0 = pgCpuSeconds(dbName);
        const done = sims.map((c) => onceMessage<{ done: DrainStats }>(c, 'done', 'drain simulator'));
        for (const c of sims) c.send({ go: true });
        // a node that dies mid-drain ends the run (its gateways would wait for acks until the deadline)
        const died = nodes.map(
          (p) =>
            new Promise<never>((_, reject) =>
              p.child.once('exit', (c) => reject(new Error(`${label}: a node exited (${c}) during the drain`))),
            ),
        );
        const all = (await Promise.race([Promise.all(done), ...died])).map((d) => d.done);
        const nodeCpuS = pids.reduce((a, pid) => a + cpuSeconds(pid), 0) - cpu0;
        const pgCpuS = pgCpuSeconds(dbName) - pg0;
        const nodeRssMb = pids.map((pid) => peakRssMb(pid));
        const sum = (k: keyof DrainStats): number => all.reduce((a, s) => a + s[k], 0);
        const first = Math.min(...all.filter((s) => s.firstSendMs).map((s) => s.firstSendMs));
        const last = Math.max(...all.map((s) => s.lastAckMs));
        const seconds = (last - first) / 1000;
        const acked = sum('ackedReadings');
        const stats = {
          gateways: sum('gateways'),
          batches: sum('batches'),
          sent: sum('sent'),
          resent: sum('resent'),
          stored: sum('stored'),
          duplicates: sum('duplicates'),
          rejected: sum('rejected'),
          ackedReadings: acked,
          quarantinedReadings: sum('quarantinedReadings'),
          unanswered: sum('unanswered'),
          closed: sum('closed'),
        };
        if (stats.unanswered) problems.push(`${stats.unanswered} batches unanswered`);
        if (stats.rejected) problems.push(`${stats.rejected} batches rejected`);
        if (stats.quarantinedReadings) problems.push(`${stats.quarantinedReadings} readings quarantined`);
        if (acked !== total) problems.push(`${acked} readings acknowledged, ${total} sent`);
        return {
          label,
          perS: acked / seconds,
          readings: acked,
          seconds,
          nodeCpuS,
          pgCpuS,
          nodeRssMb,
          ok: true,
          problems,
          stats,
        };
      } finally {
        await Promise.all(sims.map(stopChild));
      }
    };

    const runPg = async (n: number): Promise<RunResult> => {
      await resetPg(url);
      const nodes = await startPgNodes(n);
      let r: RunResult;
      try {
        r = await drainInto(`pg${n}`, nodes);
      } finally {
        for (const p of nodes) await stopProc(p);
      }
      const c = await countPg(url);
      if (c.rows !== r.readings) r.problems.push(`readings table holds ${c.rows} rows, ${r.readings} acknowledged`);
      if (c.distinct !== c.rows) r.problems.push(`${c.rows - c.distinct} duplicated readings in the table`);
      return r;
    };

    const runSqlite = async (): Promise<RunResult> => {
      const dir = mkdtempSync(join(work, 'sqlite-'));
      copyFileSync(sqliteTemplate, join(dir, 'cloud.db'));
      const node = track(await startProc('cloud', writeNodeToml({ dir })));
      let r: RunResult;
      try {
        r = await drainInto('sqlite', [node]);
        const stats = (await (await fetch(`http://127.0.0.1:${node.ready.httpPort}/api/v1/stats`)).json()) as {
          store: { readings: number };
        };
        if (stats.store.readings !== r.readings)
          r.problems.push(`SQLite store holds ${stats.store.readings} readings, ${r.readings} acknowledged`);
      } finally {
        await stopProc(node);
      }
      rmSync(dir, { recursive: true, force: true });
      return r;
    };

    const runCopy = async (): Promise<RunResult> => {
      await resetPg(url);
      await ensurePartitions(url, hours);
      const { seconds, rows, pgCpuS } = await copyBaseline(url, work, dbName);
      const c = await countPg(url);
      const problems = c.rows !== total ? [`COPY baseline: table holds ${c.rows} rows, ${total} written`] : [];
      return {
        label: 'copy',
        perS: rows / seconds,
        readings: rows,
        seconds,
        nodeCpuS: 0,
        pgCpuS,
        nodeRssMb: [],
        ok: true,
        problems,
      };
    };

    const labels = ['copy', ...NODES.map((n) => `pg${n}`), ...(NO_SQLITE ? [] : ['sqlite'])];
    const results: RunResult[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 ? [...labels].reverse() : labels;
      for (const label of order) {
        const r =
          label === 'copy'
            ? await runCopy()
            : label === 'sqlite'
              ? await runSqlite()
              : await runPg(Number(label.slice(2)));
        r.ok = r.problems.length === 0;
        results.push(r);
        log(
          `round ${round + 1} ${label}: ${Math.round(r.perS)} readings/s (${r.readings} in ${r.seconds.toFixed(1)} s), node CPU ${r.nodeCpuS.toFixed(1)} s, PostgreSQL CPU ${r.pgCpuS.toFixed(1)} s${r.nodeRssMb.length ? `, node peak RSS ${r.nodeRssMb.map((x) => x.toFixed(0)).join('/')} MB` : ''}${r.stats?.resent ? `, ${r.stats.resent} resent, ${r.stats.duplicates} duplicate acks` : ''}; load ${loadavg()[0]!.toFixed(1)}${r.ok ? '' : `; FAILED: ${r.problems.join('; ')}`}`,
        );
        if (!r.ok) failures.push(`round ${round + 1} ${label}: ${r.problems.join('; ')}`);
      }
    }

    const of = (label: string): RunResult[] => results.filter((r) => r.label === label);
    const med = (label: string, f: (r: RunResult) => number): number => median(of(label).map(f));
    const copyPerS = med('copy', (r) => r.perS);
    const best = NODES.map((n) => `pg${n}`).reduce((a, b) => (med(b, (r) => r.perS) > med(a, (r) => r.perS) ? b : a));
    const bestPerS = med(best, (r) => r.perS);
    const cpuPerM = med(best, (r) => r.nodeCpuS / (r.readings / 1e6));
    const rssAll = Object.values(rssByNodes).flatMap((x) => x.peakMb);
    const figures: Record<string, number> = {};
    for (const n of NODES) figures[`readings_per_s_${n}`] = Math.round(med(`pg${n}`, (r) => r.perS));
    figures.copy_baseline_per_s = Math.round(copyPerS);
    figures.ratio = bestPerS / copyPerS;
    figures.cpu_s_per_mreadings = cpuPerM;
    figures.node_rss_mb = rssAll.length ? Math.round(Math.max(...rssAll)) : 0;
    if (!NO_SQLITE) figures.sqlite_readings_per_s = Math.round(med('sqlite', (r) => r.perS));
    report('cluster', figures, {
      gateways: GATEWAYS,
      readings: total,
      batch: BATCH,
      window: WINDOW,
      nodes: NODES,
      rounds: ROUNDS,
      pool: POOL,
      simProcs: SIM_PROCS,
      redis: USE_REDIS,
      best,
      pgCpuSPerMReadings: med(best, (r) => r.pgCpuS / (r.readings / 1e6)),
      copyPgCpuSPerMReadings: med('copy', (r) => r.pgCpuS / (r.readings / 1e6)),
      rss: { gateways: RSS_GATEWAYS, byNodes: rssByNodes },
      runs: results,
      failures,
      notes,
    });
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    await cleanUp();
  }
  for (const n of notes) log(`note: ${n}`);
  if (failures.length) {
    log(`FAILED: ${failures.join(' | ')}`);
    process.exitCode = 1;
  }
}

await main();
