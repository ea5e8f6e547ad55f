/** Coded errors of device profiles (docs/reference/errors.md, "Device profiles"); layout errors are in layout/errors.ts. */
import { defineErrors } from '../../common/errors.js';

export const PROFILE_ERRORS = defineErrors({
  PROFILE_ERR_READ: {
    summary: 'A profile file (or its script) could not be read, or is not valid TOML.',
    hint: 'The message names the file and, for TOML syntax errors, the line and column; fix it and the agent picks it up on its next scan.',
  },
  PROFILE_ERR_FORMAT: {
    summary:
      'A profile is not valid: a key is unknown, missing, of the wrong type, or refers to something the profile does not define.',
    hint: 'Fix the key named in the message (file, key and line); docs/reference/profiles.md describes every key.',
  },
  PROFILE_ERR_DUPLICATE: {
    summary: 'Two profiles describe the same vendor and model for overlapping firmware versions.',
    hint: 'Remove one of the two files named in the message, or give them firmware ranges that do not overlap. An overlay directory replaces a library profile only with the same file path.',
  },
  PROFILE_ERR_OVERLAP: {
    summary:
      'Two profiles have match rules that a single device could satisfy both (same CoAP path, intersecting endpoint patterns, same manufacturer and model …) for overlapping firmware versions.',
    hint: 'Make the match rules of one of the two profiles named in the message more specific, or split their firmware ranges.',
  },
  PROFILE_ERR_NO_PROFILE: {
    summary: 'No loaded profile matches the device, CoAP path or profile id asked for.',
    hint: 'Check the match rules (`yiwang-edge profile why …` explains each rule) or add a profile under firmware-profiles/ or an overlay directory.',
  },
  PROFILE_ERR_SCRIPT: {
    summary:
      'An escape-hatch script (decodeUplink/encodeDownlink) failed: it threw, returned errors, or returned something that is not the expected result.',
    hint: "The message carries the script's own error; test it with `yiwang-edge profile test` and its vectors.",
  },
  PROFILE_ERR_SANDBOX_TIMEOUT: {
    summary: 'An escape-hatch script ran longer than its time limit and was stopped.',
    hint: 'Look for an endless loop in the script; a decoder should take well under a millisecond. The sandbox is restarted for the next call.',
  },
  PROFILE_ERR_SANDBOX_MEMORY: {
    summary: 'An escape-hatch script ran out of its memory limit and was stopped.',
    hint: 'The script allocates too much (a runaway array or string); the sandbox is restarted for the next call.',
  },
  PROFILE_ERR_SIMULATE: {
    summary:
      "`yiwang-edge profile simulate` could not run its simulated device, or the agent did not answer or store its uplinks as the profile's vectors expect.",
    hint: 'The message says what is missing, or names the vector and what the agent answered. Check that the agent runs (`yiwang-edge status`), that --coap is its CoAP address, and that the agent loaded this profile (`yiwang-edge profile why`).',
  },
  PROFILE_ERR_NOT_LOADED: {
    summary:
      "The running agent has not loaded the profile that `yiwang-edge profile simulate` simulates: it does not know the profile's CoAP path, or it gave the simulated device another profile (or none).",
    hint: 'Put the file at <dir>/<vendor>/<model>.toml of a directory in profiles.dirs of the agent\'s edge.toml; the agent rescans them every profiles.reload_ms (no restart; with 0 only at start). If it is there already, `yiwang-edge logs` shows why it was not loaded ("profile not loaded", with its code).',
  },
  PROFILE_ERR_INCLUDE_MISSING: {
    summary:
      'A profile (or a shared set) includes a shared set that is in no `_shared` folder of the profile directories.',
    hint: 'The message names the including file, the set and the folders searched. Put the set at <profile dir>/_shared/<name>.toml, or fix the name in `include`.',
  },
  PROFILE_ERR_INCLUDE_CYCLE: {
    summary: 'Shared sets include each other in a loop.',
    hint: 'The message shows the loop (a.toml → b.toml → a.toml); remove one of its `include` entries.',
  },
  PROFILE_ERR_INCLUDE_CONFLICT: {
    summary:
      'A metric or alarm is defined both by a file and by a shared set it includes (or by two sets it includes), without `override = true`.',
    hint: "The message names the definition and both files. To replace keys of the shared definition, add `override = true` to the including file's definition; otherwise remove one of the two.",
  },
  PROFILE_ERR_LIMIT: {
    summary:
      'A profile or its shared sets exceed a limit: file size, include depth, number of sets or of names in one include.',
    hint: 'The message names the file and the limit (docs/reference/profiles.md, "Shared definitions"); split or flatten the sets.',
  },
  PROFILE_ERR_UNIT: {
    summary: '`yiwang-edge profile lint`: profiles of the library give one metric name different units.',
    hint: 'The message names the metric, its units and the files. Use the unit most profiles use and, where the device sends another, convert with `[metrics.<name>] scale` (value × scale).',
  },
  PROFILE_ERR_COMMAND: {
    summary: 'A downlink command is unknown to the profile or its parameters are missing or wrong.',
    hint: 'Use a command listed under [commands] of the profile with the parameters it names.',
  },
});
