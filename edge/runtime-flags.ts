/**
 * Node/V8 flags the edge agent runs with. A gateway agent keeps its backlog in SQLite, not in the
 * JS heap (live heap under a CoAP flood is ~30 MB), so the old generation is capped: without a cap
 * V8 lets garbage from a flood grow RSS past 200 MB before collecting it. The young generation is
 * capped too: under a sustained flood V8 grows each of its two semi-spaces to 16 MB, 32 MB of RSS
 * for objects that live microseconds. 2 MB semi-spaces cut the `lwm2m` benchmark's RSS by ~30 MB
 * (10,000 devices: 166 MB without the cap, 134-147 with 4 MB, 133-140 with 2 MB under load; 144 on
 * a quiet machine) and keep the `cameras` benchmark at 81 MB (103-105 without).
 * The price is GC CPU under a CoAP flood, and most of it is the old-space cap, not the semi-space
 * one: with a small maximum V8 grows the old generation by ~1.1x per mark-compact, and node-coap's
 * response cache promotes ~3.7 KB per exchange (measured with --trace-gc-nvp: the bare server
 * promotes as much as the agent), so mark-compacts run every few MB. Measured 2026-11-28, two
 * 6-10 s `edge-ingest` runs each (µs of agent CPU per reading, ratio, edge RSS; `lwm2m` RSS):
 *   shipped (old 128, semi 2)                 83-94 µs, ratio 0.48-0.49, 142 MB; lwm2m 145-153 MB
 *   semi 2 only                               75-76 µs, ratio 0.59-0.68, 227-235 MB (over 200)
 *   old 128, semi 2, --heap-growing-percent=100  67-83 µs, ratio 0.60-0.82, 161 MB; lwm2m 175 MB (over 150)
 *   old 128, semi 2, --heap-growing-percent=50   93-99 µs, ratio 0.39-0.52; lwm2m 152 MB
 * Those figures predate edge/southbound/coap/exchange-cache.ts, which stops node-coap's cache
 * entries from holding their responses (~4.7 → ~0.7 KB each): with the shipped flags the ratio is
 * now 0.71-0.82 (medians of three runs, RSS 120-126 MB), so the caps no longer cost the ingest goal.
 * Before it, no single flag set met both the ingest ratio (≥ 0.6) and the LwM2M RSS goal
 * (≤ 150 MB); a gateway's RAM is the scarcer resource, so the caps stay.
 * The `yiwang-edge` shebang (edge/cli/main.ts) carries the same flags;
 * test/edge/runtime-flags.test.ts keeps them equal.
 */
export const EDGE_NODE_FLAGS: readonly string[] = ['--max-old-space-size=128', '--max-semi-space-size=2'];
