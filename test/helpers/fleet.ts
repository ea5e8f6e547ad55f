/** Moved to scripts/harness/fleet.ts (shared with bench/, which may not import test/); kept here for the tests. */
export * from '../../scripts/harness/fleet.js';
