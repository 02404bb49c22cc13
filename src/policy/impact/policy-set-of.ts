/**
 * The policy set an org's `unwind/policies/` files stand for, as Unwind serves them (see
 * src/app/policy-source.ts): its own Rego or compiled bundle, or else the shipped policies tuned by
 * whatever data files are there.
 */
import type { PolicyFile } from '../hash-policy-files.ts';
import { loadDefaultPolicies, loadPolicySet, type PolicySet } from '../evaluate-decision.ts';

const COMPILED = /(^|\/)(bundle\.tar\.gz|[^/]+\.wasm)$/;

export async function policySetOf(files: readonly PolicyFile[]): Promise<PolicySet> {
  const own = files.some((f) => (f.path.endsWith('.rego') && !f.path.endsWith('_test.rego')) || COMPILED.test(f.path));
  return own ? loadPolicySet(files) : loadDefaultPolicies({ dataFiles: files.filter((f) => /\.(json|ya?ml)$/.test(f.path)) });
}
