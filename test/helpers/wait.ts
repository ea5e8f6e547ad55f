/** Moved to scripts/harness/wait.ts (shared with bench/, which may not import test/); kept here for the tests. */
export * from '../../scripts/harness/wait.js';
