/**
 * The registry on GitHub: one signed JSON document (`unwind/registry.json`) on the branch
 * `unwind-registry` of the org config repo, created on first use and never merged. Every change is
 * one commit written with compare-and-swap (the contents API refuses a write based on a stale blob),
 * so a writer that lost a race reads again and retries; the branch's history is the audit trail of
 * who held what and when. Reads are conditional (ETag): polling an unchanged registry costs no rate
 * limit. Only a document signed with Unwind's keys counts (people can push to that branch).
 */
import type { GitHubPort, RepoRef } from '../github/port.ts';
import type { Trust } from '../trust/trust.ts';
import { emptyRegistry, RegistryDocSchema, type RegistryDoc } from './registry-doc.ts';
import { gitBlobSha } from '../github/git-blob-sha.ts';

export const REGISTRY_BRANCH = 'unwind-registry';
export const REGISTRY_PATH = 'unwind/registry.json';
/** Writers retry a lost race this many times (each retry re-reads), with a growing random pause. */
const MAX_ATTEMPTS = 12;
/**
 * A write's first attempt builds on the document as this store last read or wrote it, without reading it again,
 * when that was at most this long ago (compare-and-swap refuses it if the registry moved since; the retry reads).
 */
const OPTIMISTIC_MS = 10_000;

export class RegistryTamperedError extends Error {
  constructor(where: string, why: string) {
    super(`the rollback registry ${where} was not written by Unwind and is ignored: ${why}. Restore the last commit Unwind made on that branch.`);
    this.name = 'RegistryTamperedError';
  }
}

export class RegistryStore {
  private cached: { etag: string | null; doc: RegistryDoc; blobSha: string | null; at: number } | null = null;
  /** The registry's branch being created ahead of a write (see prepare). */
  private branchReady: Promise<void> | null = null;
  /** A read on its way (prepare waits for it to know whether the registry exists). */
  private reading: Promise<unknown> | null = null;

  constructor(
    private readonly port: GitHubPort,
    private readonly trust: Trust,
    readonly configRepo: RepoRef,
    private readonly pause: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    private readonly clock: () => number = () => performance.now(),
  ) {}

  get where(): string {
    return `${this.configRepo.owner}/${this.configRepo.repo}@${REGISTRY_BRANCH}:${REGISTRY_PATH}`;
  }

  /** The registry now (a 304 answers from the cache at no rate-limit cost). */
  async read(): Promise<RegistryDoc> {
    return (await this.load(true)).doc;
  }

  /**
   * A write is coming (a rollback is starting): when the last read found no registry, its branch is created
   * now, in the background, so that the write does not wait for it. (An org's first rollback; creating the
   * branch of Unwind's own registry early changes nothing else.)
   */
  prepare(base?: string): void {
    const go = (): void => {
      if (this.cached?.blobSha === null) this.ensureBranchOnce(base).catch(() => undefined);
    };
    // (A read on its way answers first.)
    if (this.reading) void this.reading.then(go, () => undefined);
    else go();
  }

  /**
   * Applies `change` with compare-and-swap: `change` sees the latest document and returns the next
   * one, or null for "nothing to write" (it may run several times). Returns the document in force.
   */
  async update(change: (doc: RegistryDoc) => RegistryDoc | null, message: string): Promise<RegistryDoc> {
    for (let attempt = 1; ; attempt++) {
      const recent = attempt === 1 && this.cached !== null && this.clock() - this.cached.at <= OPTIMISTIC_MS ? this.cached : null;
      const now = recent ?? (await this.load(false));
      const next = change(now.doc);
      // (Nothing to write on a document that may be old: read it and ask again.)
      if (next === null && recent) continue;
      if (next === null) return now.doc;
      if (now.blobSha === null) {
        // (Prepared ahead, or made now; taken once: a registry found absent again is made again.)
        await this.ensureBranchOnce();
        this.branchReady = null;
      }
      const text = this.render(next);
      const outcome = await this.port.writeBranchFile(this.configRepo, { branch: REGISTRY_BRANCH, path: REGISTRY_PATH, text, message, sha: now.blobSha });
      if (outcome === 'written') {
        // What was written is the registry now (its blob id is git's hash of the text); its ETag is not known.
        this.cached = { etag: null, doc: next, blobSha: gitBlobSha(Buffer.from(text, 'utf8')), at: this.clock() };
        return next;
      }
      if (recent) continue; // built on an old document: read it and try again at once
      if (attempt >= MAX_ATTEMPTS) throw new Error(`the rollback registry ${this.where} kept changing under Unwind (${MAX_ATTEMPTS} attempts); try again`);
      await this.pause(Math.floor(Math.random() * 50 * attempt));
    }
  }

  private load(conditional: boolean): Promise<{ doc: RegistryDoc; blobSha: string | null }> {
    const loading = this.loadNow(conditional);
    this.reading = loading;
    const done = (): void => {
      if (this.reading === loading) this.reading = null;
    };
    loading.then(done, done);
    return loading;
  }

  private async loadNow(conditional: boolean): Promise<{ doc: RegistryDoc; blobSha: string | null }> {
    const read = await this.port.readBranchFile(this.configRepo, REGISTRY_BRANCH, REGISTRY_PATH, conditional ? (this.cached?.etag ?? undefined) : undefined);
    const at = this.clock();
    if (read.kind === 'not_modified' && this.cached) {
      this.cached.at = at;
      return this.cached;
    }
    if (read.kind === 'not_modified' || read.kind === 'absent') {
      this.cached = { etag: null, doc: emptyRegistry(), blobSha: null, at };
      return this.cached;
    }
    this.cached = { etag: read.etag, doc: this.verify(read.text), blobSha: read.blobSha, at };
    return this.cached;
  }

  private render(doc: RegistryDoc): string {
    const signature = this.trust.keyring.sign(this.signedData(JSON.stringify(doc)));
    return `${JSON.stringify({ doc, signature }, null, 2)}\n`;
  }

  private verify(text: string): RegistryDoc {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new RegistryTamperedError(this.where, 'it is not JSON');
    }
    const file = parsed as { doc?: unknown; signature?: unknown };
    if (typeof file.signature !== 'string' || !this.trust.keyring.verify(this.signedData(JSON.stringify(file.doc)), file.signature)) throw new RegistryTamperedError(this.where, 'its signature does not match');
    const doc = RegistryDocSchema.safeParse(file.doc);
    if (!doc.success) throw new RegistryTamperedError(this.where, 'it does not match the registry schema');
    return doc.data;
  }

  private signedData(json: string): string {
    return `unwind/1\nregistry\n${this.configRepo.owner}/${this.configRepo.repo}`.toLowerCase() + `\n${json}`;
  }

  /** ensureBranch, or the one prepare started (a failed one is not kept). */
  private ensureBranchOnce(base?: string): Promise<void> {
    if (!this.branchReady) {
      const creating = this.ensureBranch(base);
      this.branchReady = creating;
      creating.catch(() => {
        if (this.branchReady === creating) this.branchReady = null;
      });
    }
    return this.branchReady;
  }

  /**
   * Creates the registry's branch from the default branch (called when the file is absent: usually no branch yet;
   * an existing one stays). `known`: a commit of the default branch the caller has read already (any commit of
   * the repository would do as the branch's start).
   */
  private async ensureBranch(known?: string): Promise<void> {
    if (known && (await this.port.createBranch(this.configRepo, REGISTRY_BRANCH, known).then(() => true, () => false))) return;
    const info = await this.port.getRepo(this.configRepo);
    const base = info ? await this.port.getBranchSha(this.configRepo, info.defaultBranch) : null;
    if (!base) throw new Error(`the org config repo ${this.configRepo.owner}/${this.configRepo.repo} has no default branch to start ${REGISTRY_BRANCH} from`);
    await this.port.createBranch(this.configRepo, REGISTRY_BRANCH, base);
  }
}
