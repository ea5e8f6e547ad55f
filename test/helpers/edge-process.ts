/** Moved to scripts/harness/edge-process.ts (shared with bench/, which may not import test/); kept here for the tests. */
export * from '../../scripts/harness/edge-process.js';
