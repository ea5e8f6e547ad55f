/**
 * Checks a desired-config layer against what the gateways accept (common/desired-config-schema.ts,
 * the same checks the edge runs) before it is stored: a layer the gateways would reject is refused
 * with CLOUD_ERR_CONFIG_SCHEMA, naming every key path and the reason, so the failure shows at
 * `config set` (API, dashboard, CLI) and not after a rollout started.
 */
import { YiwangError } from '../../common/errors.js';
import { checkDesiredConfig, issueText, type ConfigIssue } from '../../common/desired-config-schema.js';
import { parseLayer, type Table } from './merge.js';

/** CLOUD_ERR_CONFIG_SCHEMA with the issues as data (the API error body carries them as `issues`). */
export class ConfigSchemaError extends YiwangError {
  constructor(
    what: string,
    readonly issues: ConfigIssue[],
  ) {
    super(
      'CLOUD_ERR_CONFIG_SCHEMA',
      `${what}: ${issues.length === 1 ? '' : `${issues.length} problems: `}${issues.map(issueText).join('; ')}`,
    );
  }

  override toJSON(): { code: string; message: string; hint: string; issues: ConfigIssue[] } {
    return { ...super.toJSON(), issues: this.issues };
  }
}

/** Throws ConfigSchemaError when `doc` has keys the gateways would reject. */
export function assertAccepted(doc: Table, what: string): void {
  const issues = checkDesiredConfig(doc);
  if (issues.length) throw new ConfigSchemaError(what, issues);
}

/** Parses a layer (CLOUD_ERR_CONFIG_INVALID for TOML syntax) and checks its keys (CLOUD_ERR_CONFIG_SCHEMA). */
export function validateLayer(toml: string, what: string): Table {
  const doc = parseLayer(toml, what, false);
  assertAccepted(doc, what);
  return doc;
}
