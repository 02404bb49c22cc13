/**
 * Generates `schemas/ledger-entry.schema.json` from `LedgerEntrySchema`.
 * Run: `npx tsx src/ledger/write-schema.ts` (a test fails when the published file drifts from the code).
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { LedgerEntrySchema } from './entry.ts';

export const LEDGER_SCHEMA_PATH = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'schemas', 'ledger-entry.schema.json');

/** The JSON Schema text exactly as published (2-space indentation, trailing newline). */
export function ledgerEntryJsonSchemaText(): string {
  return `${JSON.stringify(z.toJSONSchema(LedgerEntrySchema), null, 2)}\n`;
}

export function writeLedgerSchema(path: string = LEDGER_SCHEMA_PATH): string {
  writeFileSync(path, ledgerEntryJsonSchemaText());
  return path;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.stdout.write(`wrote ${writeLedgerSchema()}\n`);
}
