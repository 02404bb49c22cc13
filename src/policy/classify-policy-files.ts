/** Sorts a folder's files into what the policy loader uses: Rego sources, tests, base data, wasm. */
import { posix } from 'node:path';
import type { PolicyFile } from './hash-policy-files.ts';

export interface ClassifiedPolicyFiles {
  /** `*.rego` except `*_test.rego`. */
  rego: PolicyFile[];
  /** `*_test.rego`. */
  tests: PolicyFile[];
  /** `data.json`, `data.yaml`, `data.yml`. */
  data: PolicyFile[];
  /** OPA bundles named `bundle.tar.gz`. */
  bundles: PolicyFile[];
  /** Bare `policy.wasm` modules. */
  wasm: PolicyFile[];
}

export function classifyPolicyFiles(files: readonly PolicyFile[]): ClassifiedPolicyFiles {
  const out: ClassifiedPolicyFiles = { rego: [], tests: [], data: [], bundles: [], wasm: [] };
  for (const f of files) {
    const base = posix.basename(f.path.replaceAll('\\', '/'));
    if (base.endsWith('_test.rego')) out.tests.push(f);
    else if (base.endsWith('.rego')) out.rego.push(f);
    else if (base === 'data.json' || base === 'data.yaml' || base === 'data.yml') out.data.push(f);
    else if (base === 'bundle.tar.gz') out.bundles.push(f);
    else if (base === 'policy.wasm') out.wasm.push(f);
  }
  const byPath = (a: PolicyFile, b: PolicyFile): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  for (const list of Object.values(out)) list.sort(byPath);
  return out;
}

export function textOf(f: PolicyFile): string {
  return typeof f.content === 'string' ? f.content : f.content.toString('utf8');
}
