/** The org's `unwind/policies/` files at one commit (top level only, as Unwind serves them: see policy-source.ts). */
import type { GitHubPort, RepoRef } from '../../github/port.ts';
import type { PolicyFile } from '../../policy/hash-policy-files.ts';
import { POLICY_DIR } from '../policy-source.ts';

const TEXT = /\.(rego|json|ya?ml)$/;
const BINARY = /(^|\/)(bundle\.tar\.gz|[^/]+\.wasm)$/;

export async function readPoliciesAt(port: GitHubPort, repo: RepoRef, ref: string): Promise<PolicyFile[]> {
  const entries = (await port.listDirectory(repo, POLICY_DIR, ref)) ?? [];
  const out: PolicyFile[] = [];
  for (const e of entries.filter((x) => x.type === 'file' && (TEXT.test(x.name) || BINARY.test(x.name)))) {
    const content = BINARY.test(e.name) ? Buffer.from((await port.getFileBytes(repo, e.path, ref)) ?? new Uint8Array()) : ((await port.getFile(repo, e.path, ref))?.text ?? '');
    out.push({ path: e.path, content });
  }
  return out;
}
