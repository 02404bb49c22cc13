/** Shared helpers of the policy tests: fixtures, the opa-wasm ABI fixture, bundles. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';

export const ROOT = join(import.meta.dirname, '..', '..');
export const POLICIES = join(ROOT, 'policies');
export const EXAMPLES = join(POLICIES, 'examples');

export function readExample(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(EXAMPLES, `${name}.json`), 'utf8')) as Record<string, unknown>;
}

export function exampleNames(): string[] {
  return readdirSync(EXAMPLES)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.replace(/\.json$/, ''))
    .sort();
}

export const FIXED_DECISION = '{\\"allow\\":true,\\"deny\\":[],\\"pending\\":null,\\"auto_merge\\":true,\\"warnings\\":[\\"decided by the opa-wasm ABI fixture\\"]}';

/**
 * Assembles the hand-written opa-wasm ABI fixture (test/policy/fixtures/opa-abi-fixture.wat).
 * `minor` picks the ABI minor version (2: opa_eval fast path, 1: eval context path); `decision`
 * replaces the fixed decision's WAT-escaped JSON text.
 */
export async function assembleFixture(opts: { minor?: 1 | 2; decision?: string } = {}): Promise<Uint8Array> {
  let text = readFileSync(join(import.meta.dirname, 'fixtures', 'opa-abi-fixture.wat'), 'utf8');
  if (opts.minor === 1) text = text.replace('(global (export "opa_wasm_abi_minor_version") i32 (i32.const 2))', '(global (export "opa_wasm_abi_minor_version") i32 (i32.const 1))');
  if (opts.decision !== undefined) text = text.replace(FIXED_DECISION, opts.decision);
  const wabt = await (await import('wabt')).default();
  const mod = wabt.parseWat('opa-abi-fixture.wat', text);
  try {
    mod.validate();
    return mod.toBinary({}).buffer;
  } finally {
    mod.destroy();
  }
}

/** Builds a gzip tar the way `opa build -t wasm` lays it out (`/policy.wasm`, `/data.json`, `/.manifest`, …). */
export async function buildBundle(entries: Record<string, Uint8Array | string>): Promise<Buffer> {
  const p = pack();
  const chunks: Buffer[] = [];
  p.on('data', (c: unknown) => {
    chunks.push(c as Buffer);
  });
  const done = new Promise<void>((resolve, reject) => {
    p.on('end', () => resolve());
    p.on('error', reject);
  });
  for (const [name, body] of Object.entries(entries)) {
    await new Promise<void>((resolve, reject) => {
      p.entry({ name, type: 'file' }, Buffer.from(body), (err) => (err ? reject(err) : resolve()));
    });
  }
  p.finalize();
  await done;
  return gzipSync(Buffer.concat(chunks));
}
