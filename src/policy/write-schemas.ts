/**
 * Generates `schemas/policy-input.schema.json` and `schemas/policy-decision.schema.json` from the zod schemas.
 * Run: `npx tsx src/policy/write-schemas.ts` (a test fails when the checked-in files drift).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { PolicyInputSchema } from './input.ts';
import { PolicyDecisionSchema } from './decision.ts';

/** File name (under schemas/) → JSON text. */
export function policySchemaFiles(): Record<string, string> {
  const text = (schema: z.ZodType, id: string, title: string): string =>
    JSON.stringify({ $schema: '', $id: id, title, ...z.toJSONSchema(schema, { io: 'input' }) }, null, 2) + '\n';
  return {
    'policy-input.schema.json': text(PolicyInputSchema, 'https://unwind.dev/schemas/policy-input.schema.json', 'Unwind policy input v1'),
    'policy-decision.schema.json': text(PolicyDecisionSchema, 'https://unwind.dev/schemas/policy-decision.schema.json', 'Unwind policy decision'),
  };
}

export function schemasDir(): string {
  return join(fileURLToPath(new URL('.', import.meta.url)), '..', '..', 'schemas');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const [name, text] of Object.entries(policySchemaFiles())) {
    writeFileSync(join(schemasDir(), name), text);
    process.stdout.write(`wrote schemas/${name}\n`);
  }
}
