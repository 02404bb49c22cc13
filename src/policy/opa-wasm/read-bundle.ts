/**
 * Reads an OPA bundle as `opa build -t wasm` writes it: a gzip tar with `/policy.wasm`, `/data.json`
 * (data files may also sit in folders: `/a/b/data.json` is data.a.b) and `/.manifest`.
 */
import { gunzipSync } from 'node:zlib';
import { Readable } from 'node:stream';
import { extract } from 'tar-stream';
import { PolicyLoadError } from '../policy-load-error.ts';
import { mergeData } from '../merge-data.ts';

export interface OpaBundle {
  wasm: Uint8Array;
  data: Record<string, unknown>;
  manifest: Record<string, unknown> | undefined;
}

const MAX_BYTES = 64 * 1024 * 1024;
const MAX_ENTRIES = 10_000;

async function untar(gz: Buffer, where: string): Promise<Map<string, Buffer>> {
  let tar: Buffer;
  try {
    tar = gunzipSync(gz, { maxOutputLength: MAX_BYTES });
  } catch (err) {
    throw new PolicyLoadError(`${where}: not a gzip file (${(err as Error).message})`);
  }
  const files = new Map<string, Buffer>();
  const ex = extract();
  Readable.from([tar]).pipe(ex);
  try {
    for await (const entry of ex) {
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      if (entry.header.type === 'file' || entry.header.type === 'contiguous-file') {
        files.set(normaliseName(entry.header.name), Buffer.concat(chunks));
        if (files.size > MAX_ENTRIES) throw new PolicyLoadError(`${where}: more than ${MAX_ENTRIES} files`);
      }
    }
  } catch (err) {
    if (err instanceof PolicyLoadError) throw err;
    throw new PolicyLoadError(`${where}: not a valid tar archive (${(err as Error).message})`);
  }
  return files;
}

function normaliseName(name: string): string {
  return '/' + name.replace(/^\.?\/+/, '');
}

function parseJSON(bytes: Buffer, where: string): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw new PolicyLoadError(`${where}: invalid JSON: ${(err as Error).message}`);
  }
}

/** Picks the wasm module for `entrypoint` from the manifest (default `/policy.wasm`). */
function wasmPath(manifest: Record<string, unknown> | undefined, entrypoint: string): string {
  const list = manifest?.wasm;
  if (Array.isArray(list)) {
    const typed = list.filter((w): w is { entrypoint?: unknown; module?: unknown } => typeof w === 'object' && w !== null);
    const hit = typed.find((w) => w.entrypoint === entrypoint) ?? typed[0];
    if (hit && typeof hit.module === 'string') return normaliseName(hit.module);
  }
  return '/policy.wasm';
}

export async function readBundle(gz: Buffer, where: string, entrypoint = 'unwind/decision'): Promise<OpaBundle> {
  const files = await untar(gz, where);
  const manifestBytes = files.get('/.manifest');
  const manifestValue = manifestBytes ? parseJSON(manifestBytes, `${where}:/.manifest`) : undefined;
  const manifest = typeof manifestValue === 'object' && manifestValue !== null && !Array.isArray(manifestValue) ? (manifestValue as Record<string, unknown>) : undefined;
  const modulePath = wasmPath(manifest, entrypoint);
  const wasm = files.get(modulePath);
  if (!wasm) throw new PolicyLoadError(`${where}: the bundle has no ${modulePath} (build it with \`opa build -t wasm -e ${entrypoint}\`)`);
  const docs: Array<{ path: string; value: Record<string, unknown> }> = [];
  for (const [name, bytes] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!name.endsWith('/data.json')) continue;
    const value = parseJSON(bytes, `${where}:${name}`);
    const segments = name.split('/').slice(1, -1);
    let wrapped: unknown = value;
    for (const seg of segments.reverse()) wrapped = { [seg]: wrapped };
    if (typeof wrapped !== 'object' || wrapped === null || Array.isArray(wrapped)) {
      throw new PolicyLoadError(`${where}:${name}: the top-level data document must be an object`);
    }
    docs.push({ path: `${where}:${name}`, value: wrapped as Record<string, unknown> });
  }
  return { wasm: new Uint8Array(wasm), data: mergeData(docs), manifest };
}
