/**
 * Where governance policies come from: the org config repo's `unwind/policies/` on its default
 * branch: Rego sources, or an OPA wasm bundle (`bundle.tar.gz`, or a bare `policy.wasm`), with
 * `data.json`/`data.yaml` beside them. Data files alone tune the policies Unwind ships (approver
 * teams, business hours, caps); an org with nothing there gets the shipped policies as they are.
 * Sets are cached by content.
 */
import type { GitHubPort, RepoRef } from '../github/port.ts';
import { loadDefaultPolicies, loadPolicySet, type PolicySet } from '../policy/evaluate-decision.ts';
import type { Logger } from '../shared/logger.ts';

export const POLICY_DIR = 'unwind/policies';

const TEXT = /\.(rego|json|ya?ml)$/;
const BINARY = /(^|\/)(bundle\.tar\.gz|[^/]+\.wasm)$/;

export class PolicySource {
  private readonly cache = new Map<string, Promise<PolicySet>>();

  constructor(private readonly log: Logger) {}

  async forOrg(port: GitHubPort, configRepo: RepoRef): Promise<PolicySet> {
    const entries = (await port.listDirectory(configRepo, POLICY_DIR)) ?? [];
    const wanted = entries.filter((e) => e.type === 'file' && (TEXT.test(e.name) || BINARY.test(e.name)));
    const files = await Promise.all(
      wanted.map(async (f) => ({
        path: f.path,
        content: BINARY.test(f.name) ? Buffer.from((await port.getFileBytes(configRepo, f.path)) ?? new Uint8Array()) : ((await port.getFile(configRepo, f.path))?.text ?? ''),
      })),
    );
    return this.setOf(files);
  }

  /**
   * Compiles the shipped policies as an org with nothing in `unwind/policies/` gets them, ahead of the first
   * decision (at start): the interpreter's modules and the policies' compilation are not paid by the first
   * rollback. A failure here is the first decision's to report (the set is compiled again then).
   */
  warm(): void {
    void this.setOf([]).catch(() => this.cache.delete(this.keyOf([])));
  }

  private setOf(files: Array<{ path: string; content: string | Buffer }>): Promise<PolicySet> {
    const key = this.keyOf(files);
    let set = this.cache.get(key);
    if (!set) {
      set = this.hasPolicy(files) ? loadPolicySet(files, { logger: this.log }) : loadDefaultPolicies({ logger: this.log, dataFiles: files });
      this.cache.set(key, set);
    }
    return set;
  }

  private hasPolicy(files: ReadonlyArray<{ path: string }>): boolean {
    return files.some((f) => f.path.endsWith('.rego') || BINARY.test(f.path));
  }

  private keyOf(files: ReadonlyArray<{ path: string; content: string | Buffer }>): string {
    return `${this.hasPolicy(files) ? 'org' : 'shipped'}\0${files.map((f) => `${f.path}\0${typeof f.content === 'string' ? f.content : f.content.toString('base64')}`).join('\0\0')}`;
  }
}
