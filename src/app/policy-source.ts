/**
 * Where governance policies come from: the org config repo's `unwind/policies/` on its default
 * branch, or the policies Unwind ships when the org has none. Sets are cached by content hash.
 */
import type { GitHubPort, RepoRef } from '../github/port.ts';
import { loadDefaultPolicies, loadPolicySet, type PolicySet } from '../policy/evaluate-decision.ts';
import type { Logger } from '../shared/logger.ts';

export const POLICY_DIR = 'unwind/policies';

export class PolicySource {
  private defaults: Promise<PolicySet> | null = null;
  private readonly cache = new Map<string, Promise<PolicySet>>();

  constructor(private readonly log: Logger) {}

  async forOrg(port: GitHubPort, configRepo: RepoRef): Promise<PolicySet> {
    const entries = await port.listDirectory(configRepo, POLICY_DIR);
    const files = (entries ?? []).filter((e) => e.type === 'file' && /\.(rego|json|ya?ml)$/.test(e.name));
    if (files.length === 0) {
      this.defaults ??= loadDefaultPolicies({ logger: this.log });
      return this.defaults;
    }
    const contents = await Promise.all(files.map(async (f) => ({ path: f.path, content: (await port.getFile(configRepo, f.path))?.text ?? '' })));
    const key = contents.map((c) => `${c.path}\0${c.content}`).join('\0\0');
    let set = this.cache.get(key);
    if (!set) {
      set = loadPolicySet(contents, { logger: this.log });
      this.cache.set(key, set);
    }
    return set;
  }
}
