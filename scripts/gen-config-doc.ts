/** Writes docs/reference/config.md from the option schemas (test/common/config-doc.test.ts keeps it current). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { schemaToMarkdown } from '../common/config.js';
import { EDGE_SCHEMA } from '../edge/config.js';
import { CLOUD_SCHEMA } from '../cloud/config.js';
import { REPO_ROOT } from '../common/paths.js';

export function configDoc(): string {
  return `# Configuration reference

Both programs read one TOML file given with \`--config\` (edge default \`/etc/yiwang/edge.toml\`
or \`$YIWANG_EDGE_CONFIG\`; cloud default \`/etc/yiwang/cloud.toml\` or \`$YIWANG_CLOUD_CONFIG\`).
Every option has a default; unknown sections and keys are errors (\`CONFIG_ERR_INVALID\` names the
file and the key). This file is generated from the schemas in \`edge/config.ts\` and
\`cloud/config.ts\` by \`node dist/scripts/gen-config-doc.js\`.

## Edge agent (\`yiwang-edge\`)

${schemaToMarkdown(EDGE_SCHEMA)}

## Cloud (\`yiwang-cloud\`)

${schemaToMarkdown(CLOUD_SCHEMA)}
`;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  writeFileSync(join(REPO_ROOT, 'docs', 'reference', 'config.md'), configDoc());
}
