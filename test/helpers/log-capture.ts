/** Moved to scripts/harness/log-capture.ts (shared with bench/, which may not import test/); kept here for the tests. */
export * from '../../scripts/harness/log-capture.js';
