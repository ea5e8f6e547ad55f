/**
 * under-attack: honest CoAP devices' acknowledged readings per second while every attack of
 * scripts/sim/attackers.ts runs (CoAP garbage, unfinished Block1 uploads, LwM2M registrations and
 * slow HJ 212 connections at the edge; a rogue gateway with bombs and cross-gateway writes, and
 * oversized CONNECTs at the cloud), against the same honest load alone, in alternating rounds of
 * one run (medians). Cloud and agent are the built CLIs as child processes, the agent with its own
 * heap flags. At the end every acknowledged honest reading must be in the cloud exactly once.
 *   npm run bench -- under-attack [--rounds 3] [--seconds 8] [--devices 20] [--gap-ms 20] [--flood-per-s 2000]
 * Last line: `under-attack: honest_per_s=… baseline_per_s=… ratio=… lost=… edge_rss_mb=… cloud_rss_mb=… restarts=…`
 * Exits 1 when a reading is lost or duplicated or a process died.
 */
import { ATTACKS, AttackLab, type Round } from '../scripts/sim/attack-lab.js';
import { argValue, report } from './report.js';

const args = process.argv.slice(2);
const ROUNDS = Number(argValue(args, '--rounds') ?? 3);
const SECONDS = Number(argValue(args, '--seconds') ?? 8);
const DEVICES = Number(argValue(args, '--devices') ?? 20);
const GAP_MS = Number(argValue(args, '--gap-ms') ?? 20);
const FLOOD = Number(argValue(args, '--flood-per-s') ?? 2000);

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

const lab = await AttackLab.start({ devices: DEVICES, gapMs: GAP_MS, floodPerS: FLOOD });
const alone: Round[] = [],
  attacked: Round[] = [];
try {
  await lab.round(2, []); // warm-up: JIT, first registrations, the uplink session
  for (let i = 0; i < ROUNDS; i++) {
    // alternate which goes first, so drift of the machine falls on both
    const order = i % 2 === 0 ? ['alone', 'attack'] : ['attack', 'alone'];
    for (const which of order) {
      const r = await lab.round(SECONDS, which === 'alone' ? [] : [...ATTACKS]);
      (which === 'alone' ? alone : attacked).push(r);
      console.log(
        `under-attack: round ${i + 1} ${which}: ${r.perS.toFixed(0)} acked/s, gave up ${r.gaveUp}${which === 'attack' ? `, sent ${JSON.stringify(r.attackSent)}` : ''}`,
      );
    }
  }
  const fig = await lab.lost(120_000);
  const rss = lab.rss();
  const alive = lab.alive();
  const stats = await lab.get<Record<string, unknown>>('/api/v1/stats').catch((err: Error) => ({ error: err.message }));
  const honest = median(attacked.map((r) => r.perS)),
    base = median(alone.map((r) => r.perS));
  const restarts = (alive.edge ? 0 : 1) + (alive.cloud ? 0 : 1);
  report(
    'under-attack',
    {
      honest_per_s: Math.round(honest),
      baseline_per_s: Math.round(base),
      ratio: base > 0 ? honest / base : 0,
      lost: fig.lost,
      edge_rss_mb: rss.edge.peak,
      cloud_rss_mb: rss.cloud.peak,
      restarts,
    },
    {
      devices: DEVICES,
      gapMs: GAP_MS,
      floodPerS: FLOOD,
      seconds: SECONDS,
      acked: fig.acked,
      duplicated: fig.duplicated,
      alone,
      attacked,
      cloudStats: stats,
      dir: lab.dir,
    },
  );
  await lab.stop();
  process.exit(fig.lost === 0 && fig.duplicated === 0 && restarts === 0 ? 0 : 1);
} catch (err) {
  console.error(`under-attack: ${(err as Error).message} (logs in ${lab.dir})`);
  await lab.stop(true);
  process.exit(1);
}
