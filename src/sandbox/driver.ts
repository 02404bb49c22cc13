/** The scripted-human / CI driver: acts directly on state; every effect emits the webhooks GitHub would send. */
import type { SandboxContext } from './context.ts';
import { defaultFaults, nextId } from './context.ts';
import { issueUserToken } from './auth/issue-token.ts';
import { findRepo } from './auth/access.ts';
import { cp } from 'node:fs/promises';
import { mapBounded } from '../shared/map-bounded.ts';
import { BareRepo } from './git/bare-repo.ts';
import { gitIdentity, noreplyEmail } from './objects/commit.ts';
import { issueOfPull } from './objects/pull-request.ts';
import type { CommentState, IssueState, PullState, RepoState } from './state/model.ts';
import { isoSeconds, ACTIONS_APP_ID } from './state/initial-state.ts';
import { applyRefUpdates } from './services/apply-ref-updates.ts';
import { createCheckRun, updateCheckRun } from './services/check-runs.ts';
import { addIssueLabels, createComment, createIssue, findIssue } from './services/issues.ts';
import { mergePull } from './services/merge-pull.ts';
import { openPull } from './services/open-pull.ts';
import { ZERO } from './services/push-payload.ts';
import { keyOf, repoKey } from './services/repo-key.ts';
import { submitReview } from './services/reviews.ts';
import { createStatus } from './services/statuses.ts';
import { installApp } from './services/install-app.ts';
import type { Faults, SandboxDriver } from './types.ts';

const LOGIN_RE = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const REPO_RE = /^[A-Za-z0-9._-]{1,100}$/;

export interface DriverHooks {
  onFaultsChanged(): void;
}

export function createDriver(ctx: SandboxContext, hooks: DriverHooks): SandboxDriver {
  const user = (login: string): void => {
    const a = ctx.state.accounts[login];
    if (!a || a.type === 'Organization') throw new Error(`sandbox driver: no user named "${login}" (create it with driver.createUser)`);
  };
  const repoOf = (owner: string, name: string): RepoState => {
    const r = findRepo(ctx, owner, name);
    if (!r) throw new Error(`sandbox driver: no repository ${owner}/${name} (create it with driver.createRepo)`);
    return r;
  };
  const person = (login: string): { name: string; email: string; date: Date } => {
    return { ...gitIdentity(ctx, login), date: ctx.now() };
  };
  const newAccount = (login: string, type: 'User' | 'Organization', name: string | null, email: string | null): void => {
    if (!LOGIN_RE.test(login)) throw new Error(`sandbox driver: invalid login "${login}" (letters, digits and hyphens, at most 39)`);
    if (ctx.state.accounts[login]) throw new Error(`sandbox driver: account "${login}" already exists`);
    ctx.state.accounts[login] = { id: nextId(ctx), login, type, name, email, createdAt: isoSeconds(ctx.now()), ...(type === 'Organization' ? { members: {} } : {}) };
    ctx.save();
  };
  const pull = (owner: string, repo: string, n: number): PullState => {
    const key = keyOf(owner, repo);
    const p = ctx.state.pulls.find((x) => x.repo === key && x.number === n);
    if (!p) throw new Error(`sandbox driver: no pull request ${owner}/${repo}#${n}`);
    return p;
  };

  const checkNewRepo = (owner: string, name: string): void => {
    if (!ctx.state.accounts[owner]) throw new Error(`sandbox driver: no account "${owner}"`);
    if (!REPO_RE.test(name) || name.endsWith('.git') || name === '.' || name === '..') throw new Error(`sandbox driver: invalid repository name "${name}"`);
    if (ctx.state.repos[keyOf(owner, name)]) throw new Error(`sandbox driver: repository ${owner}/${name} exists`);
  };
  const newRepoState = (owner: string, name: string, opts: { defaultBranch?: string; allowMergeCommit?: boolean; allowSquashMerge?: boolean; allowRebaseMerge?: boolean; private?: boolean }): RepoState => {
    const at = isoSeconds(ctx.now());
    const defaultBranch = opts.defaultBranch ?? 'main';
    const repo: RepoState = {
      id: nextId(ctx),
      owner,
      name,
      private: opts.private ?? false,
      defaultBranch,
      description: null,
      createdAt: at,
      updatedAt: at,
      pushedAt: at,
      allowMergeCommit: opts.allowMergeCommit ?? true,
      allowSquashMerge: opts.allowSquashMerge ?? true,
      allowRebaseMerge: opts.allowRebaseMerge ?? true,
      deleteBranchOnMerge: false,
      collaborators: {},
      nextNumber: 1,
      labels: [],
      protection: {},
      ci: [],
      workflows: [],
    };
    return repo;
  };
  /** The identity of commits no user made (an org's initial commit, a commit without an author). */
  const sandboxPerson = (): { name: string; email: string; date: Date } => ({ name: 'Sandbox', email: 'sandbox@users.noreply.github.com', date: ctx.now() });
  /** Who writes a repository's initial commit: its owner if a user, the sandbox for an org. */
  const ownerIdentity = (owner: string): { name: string; email: string; date: Date } =>
    ctx.state.accounts[owner]?.type === 'User' ? person(owner) : sandboxPerson();
  return {
    async createOrg(login) {
      newAccount(login, 'Organization', login, null);
    },
    async createUser(login, opts = {}) {
      newAccount(login, 'User', opts.name ?? login, null);
      const acc = ctx.state.accounts[login];
      acc.email = opts.email ?? noreplyEmail(acc);
      return { login, token: issueUserToken(ctx, login) };
    },
    async createTeam(org, slug, members, maintainers = []) {
      const o = ctx.state.accounts[org];
      if (!o || o.type !== 'Organization') throw new Error(`sandbox driver: no organization "${org}"`);
      if (ctx.state.teams.some((t) => t.org === org && t.slug === slug)) throw new Error(`sandbox driver: team ${org}/${slug} exists`);
      const all: Record<string, 'member' | 'maintainer'> = {};
      for (const m of members) all[m] = 'member';
      for (const m of maintainers) all[m] = 'maintainer';
      for (const m of Object.keys(all)) {
        user(m);
        o.members = o.members ?? {};
        if (!o.members[m]) o.members[m] = 'member';
      }
      ctx.state.teams.push({ id: nextId(ctx), org, slug, name: slug, members: all, repos: {} });
      ctx.save();
    },
    async addCollaborator(owner, name, login, permission) {
      user(login);
      repoOf(owner, name).collaborators[login] = permission;
      ctx.save();
    },
    async createRepo(owner, name, opts = {}) {
      checkNewRepo(owner, name);
      const repo = newRepoState(owner, name, opts);
      const defaultBranch = repo.defaultBranch;
      const git = await BareRepo.init(ctx.repoPath(repo), defaultBranch);
      ctx.state.repos[keyOf(owner, name)] = repo;
      ctx.save();
      const author = ownerIdentity(owner);
      await git.commitFiles({ branch: defaultBranch, files: opts.files ?? { 'README.md': `# ${name}\n` }, message: 'Initial commit', author, committer: author });
      return { cloneUrl: `${ctx.baseUrl}/${owner}/${name}.git` };
    },
    async createRepos(owner, names, opts = {}) {
      if (new Set(names).size !== names.length) throw new Error('sandbox driver: createRepos was given the same name twice');
      for (const name of names) checkNewRepo(owner, name);
      if (names.length === 0) return;
      const repos = names.map((name) => newRepoState(owner, name, opts));
      // One real repository with the initial commit, then byte-for-byte copies of it.
      const [first, ...rest] = repos;
      const template = await BareRepo.init(ctx.repoPath(first), first.defaultBranch);
      const author = ownerIdentity(owner);
      await template.commitFiles({ branch: first.defaultBranch, files: opts.files ?? { 'README.md': '# repository\n' }, message: 'Initial commit', author, committer: author });
      // Bounded: thousands of copies at once would run out of file descriptors.
      await mapBounded(rest, 16, (repo) => cp(ctx.repoPath(first), ctx.repoPath(repo), { recursive: true, errorOnExist: true, force: false }));
      for (const repo of repos) ctx.state.repos[keyOf(owner, repo.name)] = repo;
      ctx.save();
    },
    async installApp(account, opts = {}) {
      return installApp(ctx, account, opts);
    },
    async commit(owner, name, p) {
      const repo = repoOf(owner, name);
      const login = p.author ?? (ctx.state.accounts[owner]?.type === 'User' ? owner : null);
      if (login !== null) user(login);
      const who = login ? person(login) : sandboxPerson();
      const git = ctx.git(repoKey(repo));
      const before = await git.resolve(`refs/heads/${p.branch}`);
      const parents = before ? [before] : [(await git.resolve(`refs/heads/${repo.defaultBranch}`)) as string].filter(Boolean);
      const sha = await git.commitFiles({ branch: p.branch, files: p.files, message: p.message, author: who, committer: who, parents });
      await applyRefUpdates(ctx, repo, [{ ref: `refs/heads/${p.branch}`, before: before ?? ZERO, after: sha }], login ?? `${ctx.app.slug}[bot]`);
      return sha;
    },
    async openPull(as, owner, name, p) {
      user(as);
      const repo = repoOf(owner, name);
      const pr = await openPull(ctx, repo, as, false, { head: p.head, base: p.base ?? repo.defaultBranch, title: p.title, body: p.body ?? null, draft: p.draft });
      return pr.number;
    },
    async review(as, owner, name, n, event, body) {
      user(as);
      submitReview(ctx, repoOf(owner, name), pull(owner, name, n), as, event, body ?? (event === 'APPROVE' ? '' : 'Reviewed.'));
    },
    async mergePull(as, owner, name, n, method = 'merge') {
      user(as);
      return mergePull(ctx, repoOf(owner, name), pull(owner, name, n), as, { method });
    },
    async comment(as, owner, name, n, body) {
      user(as);
      const repo = repoOf(owner, name);
      return createComment(ctx, repo, findIssue(ctx, repo, n), as, false, body).id;
    },
    async addLabels(as, owner, name, n, labels) {
      user(as);
      const repo = repoOf(owner, name);
      addIssueLabels(ctx, repo, findIssue(ctx, repo, n), as, labels);
    },
    async createIssue(as, owner, name, p) {
      user(as);
      return createIssue(ctx, repoOf(owner, name), as, false, p).number;
    },
    async setProtection(owner, name, branch, p) {
      const repo = repoOf(owner, name);
      if (p === null) delete repo.protection[branch];
      else repo.protection[branch] = { requiredChecks: [...p.requiredChecks], strict: p.strict ?? false, requiredApprovals: p.requiredApprovals ?? 0, enforceAdmins: false };
      ctx.save();
    },
    async setCI(owner, name, checks) {
      repoOf(owner, name).ci = checks.map((c) => ({ ...c }));
      ctx.save();
    },
    async setWorkflow(owner, name, file, p) {
      const repo = repoOf(owner, name);
      repo.workflows = repo.workflows.filter((w) => w.file !== file);
      if (p) repo.workflows.push({ id: nextId(ctx), file, name: p.name ?? file.replace(/\.ya?ml$/, ''), result: p.result, ...(p.results?.length ? { results: [...p.results] } : {}), delayMs: p.delayMs ?? 0, createdAt: isoSeconds(ctx.now()) });
      ctx.save();
    },
    async reportCheck(owner, name, sha, p) {
      const repo = repoOf(owner, name);
      const full = await ctx.git(repoKey(repo)).resolve(sha);
      if (!full) throw new Error(`sandbox driver: no commit ${sha} in ${owner}/${name}`);
      const ci = 'github-actions[bot]';
      if ((p.via ?? 'check_run') === 'status') {
        await createStatus(ctx, repo, ci, { sha: full, state: p.result, context: p.name });
        return;
      }
      const existing = [...ctx.state.checkRuns].reverse().find((r) => r.repo === repoKey(repo) && r.headSha === full && r.name === p.name && r.appId === ACTIONS_APP_ID);
      if (p.result === 'pending') {
        await createCheckRun(ctx, repo, ACTIONS_APP_ID, ci, { name: p.name, headSha: full, status: 'in_progress' });
      } else if (existing && existing.status !== 'completed') {
        await updateCheckRun(ctx, repo, existing, ci, { status: 'completed', conclusion: p.result });
      } else {
        await createCheckRun(ctx, repo, ACTIONS_APP_ID, ci, { name: p.name, headSha: full, status: 'completed', conclusion: p.result });
      }
    },
    setFaults(f: Partial<Faults>) {
      ctx.faults = Object.keys(f).length === 0 ? defaultFaults() : { ...ctx.faults, ...f, webhooks: { ...(f.webhooks ?? ctx.faults.webhooks) } };
      hooks.onFaultsChanged();
    },
    getPull(owner, name, n) {
      return pull(owner, name, n);
    },
    listPulls(owner, name) {
      const key = keyOf(owner, name);
      return ctx.state.pulls.filter((p) => p.repo === key);
    },
    getIssue(owner, name, n): IssueState {
      return findIssue(ctx, repoOf(owner, name), n);
    },
    listComments(owner, name, n): CommentState[] {
      const key = keyOf(owner, name);
      return ctx.state.comments.filter((c) => c.repo === key && c.issueNumber === n);
    },
    repoPath(owner, name) {
      const repo = repoOf(owner, name);
      return ctx.repoPath(repo);
    },
  };
}

export { issueOfPull };
