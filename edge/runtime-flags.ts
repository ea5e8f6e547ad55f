/**
 * Node/V8 flags the edge agent runs with. A gateway agent keeps its backlog in SQLite, not in the
 * JS heap (live heap under a CoAP flood is ~30 MB), so the old generation is capped: without a cap
 * V8 lets garbage from a flood grow RSS past 200 MB before collecting it. The `yiwang-edge` shebang
 * (edge/cli/main.ts) carries the same flags; test/edge/runtime-flags.test.ts keeps them equal.
 */
export const EDGE_NODE_FLAGS: readonly string[] = ['--max-old-space-size=128'];
