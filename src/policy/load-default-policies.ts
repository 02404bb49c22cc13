/** The policies Unwind ships in its own `policies/` folder (used when an org has none). */
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { loadPolicySet } from './load-policy-set.ts';
import type { LoadPolicyOptions } from './load-policy-set.ts';
import type { PolicySet } from './policy-set.ts';
import { readPolicyPaths } from './read-policy-paths.ts';

export function defaultPoliciesDir(): string {
  return join(fileURLToPath(new URL('.', import.meta.url)), '..', '..', 'policies');
}

export async function loadDefaultPolicies(opts: LoadPolicyOptions = {}): Promise<PolicySet> {
  const files = await readPolicyPaths([defaultPoliciesDir()], { relativeTo: defaultPoliciesDir() });
  return loadPolicySet(files, opts);
}
