/**
 * Generate the published JSON Schemas from the zod schemas: `npx tsx src/config/write-schemas.ts`.
 * A test fails when the checked-in `schemas/*.json` differ from what this produces.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { ContractSchema } from './contract-schema.ts';
import { MapSchema } from './map-schema.ts';

const BASE = 'https://unwind.dev/schemas';

export function buildJsonSchemas(): Record<string, string> {
  const contract = z.toJSONSchema(ContractSchema, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>;
  const props = contract.properties as Record<string, unknown>;
  contract.properties = {
    _extends: {
      type: 'string',
      description: 'Inherit from another contract, Probot style: `repo`, `owner/repo` or `owner/repo:path/file.yml` (e.g. `.github` for the org defaults). This file\'s values win; mappings merge, lists are replaced.',
      pattern: '^(?:[A-Za-z0-9-]+/)?[-_.\\w]+(?::[-_./\\w]+\\.ya?ml)?$',
    },
    ...props,
  };
  const map = z.toJSONSchema(MapSchema, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>;
  return {
    'contract.schema.json': render({ $id: `${BASE}/contract.schema.json`, title: 'Unwind rollback contract', ...contract }),
    'map.schema.json': render({ $id: `${BASE}/map.schema.json`, title: 'Unwind dependency map', ...map }),
  };
}

function render(schema: Record<string, unknown>): string {
  const { $schema, ...rest } = schema;
  return `${JSON.stringify({ $schema, ...rest }, null, 2)}\n`;
}

export const SCHEMAS_DIR = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..', 'schemas');

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const [name, text] of Object.entries(buildJsonSchemas())) {
    writeFileSync(join(SCHEMAS_DIR, name), text);
    process.stdout.write(`wrote schemas/${name}\n`);
  }
}
