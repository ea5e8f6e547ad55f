/**
 * Node/V8 flags the edge agent runs with. A gateway agent keeps its backlog in SQLite, not in the
 * JS heap (live heap under a CoAP flood is ~30 MB), so the old generation is capped: without a cap
 * V8 lets garbage from a flood grow RSS past 200 MB before collecting it. The young generation is
 * capped too: under a sustained flood V8 grows each of its two semi-spaces to 16 MB, 32 MB of RSS
 * for objects that live microseconds. 2 MB semi-spaces cut the `lwm2m` benchmark's RSS by ~30 MB
 * (10,000 devices: 166 MB without the cap, 134-147 with 4 MB, 133-140 with 2 MB under load; 144 on
 * a quiet machine) and keep the `cameras` benchmark at 81 MB (103-105 without). The price is CPU
 * under a CoAP flood: measured on a quiet machine, `edge-ingest` spends ~87 µs per reading with the
 * cap against ~70 without (ratio to a bare server 0.46-0.48 against 0.53-0.70), and `drain` runs
 * ~10 % slower. A gateway's RAM is the scarcer resource, so the cap stays.
 * The `yiwang-edge` shebang (edge/cli/main.ts) carries the same flags;
 * test/edge/runtime-flags.test.ts keeps them equal.
 */
export const EDGE_NODE_FLAGS: readonly string[] = ['--max-old-space-size=128', '--max-semi-space-size=2'];
