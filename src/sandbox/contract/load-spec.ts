import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { normalizeNullable } from './normalize-nullable.ts';

/** The parts of GitHub's OpenAPI document the checker reads. Everything else stays `unknown`. */
export interface OpenApiSpec {
  openapi: string;
  paths: Record<string, Record<string, unknown>>;
  'x-webhooks': Record<string, Record<string, unknown>>;
  components: Record<string, Record<string, unknown>>;
}

export interface LoadedSpec {
  spec: OpenApiSpec;
  file: string;
  /** Milliseconds spent reading + parsing, and normalising `nullable`. */
  timings: { parseMs: number; normalizeMs: number };
  nullableRewrites: number;
}

export class ContractSpecError extends Error {
  override readonly name = 'ContractSpecError';
}

const SPEC_MODULE_PATH = '@octokit/openapi/generated/api.github.com.json';
let cached: LoadedSpec | undefined;

/**
 * Load GitHub's OpenAPI description (api.github.com, 13 MB) once per process, with `nullable` rewritten.
 * Never imports `@octokit/openapi` itself: its index loads all ten specs (~880 MB RSS).
 */
export function loadSpec(): LoadedSpec {
  if (cached) return cached;
  const file = resolveSpecFile();
  const t0 = performance.now();
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ContractSpecError(`cannot read GitHub's OpenAPI description at ${file}: ${(err as Error).message}`);
  }
  const t1 = performance.now();
  assertSpecShape(parsed, file);
  const nullableRewrites = normalizeNullable(parsed);
  const t2 = performance.now();
  cached = { spec: parsed, file, timings: { parseMs: t1 - t0, normalizeMs: t2 - t1 }, nullableRewrites };
  return cached;
}

function resolveSpecFile(): string {
  const require = createRequire(import.meta.url);
  try {
    return require.resolve(SPEC_MODULE_PATH);
  } catch {
    throw new ContractSpecError(
      `cannot find ${SPEC_MODULE_PATH}; run \`npm ci\` so @octokit/openapi is installed`,
    );
  }
}

function assertSpecShape(value: unknown, file: string): asserts value is OpenApiSpec {
  const v = value as Partial<OpenApiSpec> | null;
  const ok =
    v !== null &&
    typeof v === 'object' &&
    typeof v.openapi === 'string' &&
    typeof v.paths === 'object' &&
    typeof v['x-webhooks'] === 'object' &&
    typeof v.components === 'object';
  if (!ok) throw new ContractSpecError(`${file} is not an OpenAPI document with paths, x-webhooks and components`);
}
