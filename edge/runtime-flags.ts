/**
 * Node/V8 flags the edge agent runs with. A gateway agent keeps its backlog in SQLite, not in the
 * JS heap (live heap under a CoAP flood is ~30 MB), so the old generation is capped: without a cap
 * V8 lets garbage from a flood grow RSS past 200 MB before collecting it. The young generation is
 * capped too: under a sustained flood V8 grows each of its two semi-spaces to 16 MB, 32 MB of RSS
 * for objects that live microseconds. 2 MB semi-spaces cut the `lwm2m` benchmark's RSS by ~30 MB
 * (10,000 devices: 166 MB without the cap, 134-147 with 4 MB, 133-140 with 2 MB; runs on this
 * 2-core machine under load 10-25, so no throughput difference was measurable). Scavenges get
 * more frequent but stay cheap: their cost follows the survivors, not the garbage.
 * The `yiwang-edge` shebang (edge/cli/main.ts) carries the same flags;
 * test/edge/runtime-flags.test.ts keeps them equal.
 */
export const EDGE_NODE_FLAGS: readonly string[] = ['--max-old-space-size=128', '--max-semi-space-size=2'];
