/** Reads policy files from paths: a folder contributes its top-level files, a file itself. */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { PolicyFile } from './hash-policy-files.ts';

const POLICY_FILE = /(\.rego|^data\.json|^data\.ya?ml|^bundle\.tar\.gz|^policy\.wasm)$/;

/**
 * `relativeTo` names files relative to that folder (so messages and hashes do not depend on where the
 * checkout lives); otherwise paths are kept as given. Throws when a path does not exist.
 */
export async function readPolicyPaths(paths: readonly string[], opts: { relativeTo?: string } = {}): Promise<Array<PolicyFile & { content: Buffer }>> {
  const out: Array<PolicyFile & { content: Buffer }> = [];
  const name = (p: string): string => (opts.relativeTo ? relative(opts.relativeTo, p) : p).replaceAll('\\', '/');
  for (const p of paths) {
    const info = await stat(p).catch(() => {
      throw new Error(`${p}: no such file or folder`);
    });
    if (info.isDirectory()) {
      const entries = (await readdir(p, { withFileTypes: true })).filter((e) => e.isFile() && POLICY_FILE.test(e.name));
      for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) out.push({ path: name(join(p, e.name)), content: await readFile(join(p, e.name)) });
    } else {
      out.push({ path: name(p), content: await readFile(p) });
    }
  }
  return out;
}
