/**
 * Seeds an org on the sandbox for a cross-repo rollback: an org config repo with the dependency map,
 * service repos with rollback contracts and CI, people and teams, and a change set of merged PRs
 * linked by `Depends-On:`. Shared by `npm run demo` and the end-to-end tests.
 */
import type { SandboxDriver } from '../sandbox/index.ts';

export interface ServiceSpec {
  readonly name: string;
  readonly repo: string;
  readonly dependsOn?: readonly string[];
  readonly rollback?: 'revert' | 'compensate';
  readonly mergeMethod?: 'merge' | 'squash' | 'rebase';
  readonly waitFor?: readonly string[];
  /** Contract `revert.checks_timeout` (default 30m). */
  readonly checksTimeout?: string;
  /** Contract `auto_revert` triggers (off unless one of checks/statuses/workflows is given). */
  readonly autoRevert?: { checks?: string[]; statuses?: string[]; workflows?: string[]; consecutiveFailures?: number; maxCulpritAge?: string };
  readonly tier?: string;
  /** A private repository: only the on-call engineer and the SRE lead are collaborators (the reader is not). */
  readonly private?: boolean;
  readonly owners?: readonly string[];
  readonly labels?: readonly string[];
  readonly compensations?: ReadonlyArray<{
    id: string;
    workflow: string;
    when?: 'before_revert' | 'after_revert';
    onFailure?: 'abort' | 'continue' | 'escalate';
    /** Contract `timeout` and `retry` (defaults: 15m; 2 attempts, 30s back-off). */
    timeout?: string;
    retry?: { attempts: number; backoff: string };
  }>;
}

export interface OrgSpec {
  readonly org: string;
  readonly services: readonly ServiceSpec[];
  readonly groups?: Record<string, string[]>;
  /** CI checks every repo reports on each commit. */
  readonly ci?: Array<{ name: string; result: 'success' | 'failure'; delayMs?: number }>;
  /** Extra files for the org config repo (e.g. `unwind/policies/x.rego`). */
  readonly configFiles?: Record<string, string>;
}

export const ONCALL = 'alice';
export const SRE_LEAD = 'bob';
export const READER = 'carol';

/** The personal tokens of the people this call created (people made by an earlier call are absent). */
export interface SeededPeople {
  readonly tokens: Readonly<Record<string, string>>;
}

export async function seedOrg(driver: SandboxDriver, spec: OrgSpec): Promise<SeededPeople> {
  await driver.createOrg(spec.org);
  const tokens: Record<string, string> = {};
  for (const [login, name] of [[ONCALL, 'Alice Oncall'], [SRE_LEAD, 'Bob Lead'], [READER, 'Carol Reader']] as const) {
    // People exist once per sandbox; several orgs may share them.
    const made = await driver.createUser(login, { name }).catch((err: unknown) => {
      if (!(err instanceof Error && /already exists/.test(err.message))) throw err;
      return null;
    });
    if (made) tokens[login] = made.token;
  }
  await driver.createTeam(spec.org, 'sre', [SRE_LEAD]);
  await driver.createRepo(spec.org, '.github', { files: { 'unwind/map.yml': renderMap(spec), 'README.md': `# ${spec.org} org config\n`, ...(spec.configFiles ?? {}) } });
  for (const s of spec.services) {
    const [, name] = s.repo.split('/');
    await driver.createRepo(spec.org, name, {
      private: s.private ?? false,
      files: { '.github/unwind.yml': renderContract(s), 'README.md': `# ${name}\n`, 'src/app.txt': `${name} v1\n` },
      allowMergeCommit: true,
      allowSquashMerge: true,
      allowRebaseMerge: true,
    });
  }
  for (const repo of ['.github', ...spec.services.map((s) => s.repo.split('/')[1])]) {
    await driver.addCollaborator(spec.org, repo, ONCALL, 'write');
    await driver.addCollaborator(spec.org, repo, SRE_LEAD, 'maintain');
    if (!spec.services.some((s) => s.private && s.repo === `${spec.org}/${repo}`)) await driver.addCollaborator(spec.org, repo, READER, 'read');
    if (spec.ci?.length) await driver.setCI(spec.org, repo, spec.ci);
  }
  await driver.installApp(spec.org, { repositories: 'all' });
  return { tokens };
}

export function renderMap(spec: OrgSpec): string {
  const lines = ['# Unwind dependency map: dependents are rolled back before what they depend on.', 'services:'];
  for (const s of spec.services) {
    lines.push(`  ${s.name}:`, `    repo: ${s.repo}`);
    if (s.dependsOn?.length) lines.push(`    depends_on: [${s.dependsOn.join(', ')}]`);
    if (s.rollback === 'compensate') lines.push('    rollback: compensate');
    if (s.tier) lines.push(`    tier: ${s.tier}`);
  }
  if (spec.groups && Object.keys(spec.groups).length) {
    lines.push('groups:');
    for (const [g, members] of Object.entries(spec.groups)) lines.push(`  ${g}: [${members.join(', ')}]`);
  }
  return lines.join('\n') + '\n';
}

export function renderContract(s: ServiceSpec): string {
  return [
    `service: ${s.name}`,
    `owners: [${(s.owners ?? [ONCALL]).join(', ')}]`,
    'revert:',
    `  merge_method: ${s.mergeMethod ?? 'merge'}`,
    `  wait_for: [${(s.waitFor ?? []).join(', ')}]`,
    ...(s.checksTimeout ? [`  checks_timeout: ${s.checksTimeout}`] : []),
    ...(s.labels?.length ? [`  labels: [${s.labels.join(', ')}]`] : []),
    ...(s.autoRevert
      ? [
          'auto_revert:',
          `  checks: [${(s.autoRevert.checks ?? []).map((c) => JSON.stringify(c)).join(', ')}]`,
          `  statuses: [${(s.autoRevert.statuses ?? []).map((c) => JSON.stringify(c)).join(', ')}]`,
          `  workflows: [${(s.autoRevert.workflows ?? []).map((c) => JSON.stringify(c)).join(', ')}]`,
          `  consecutive_failures: ${s.autoRevert.consecutiveFailures ?? 1}`,
          ...(s.autoRevert.maxCulpritAge ? [`  max_culprit_age: ${s.autoRevert.maxCulpritAge}`] : []),
        ]
      : []),
    ...(s.compensations?.length
      ? ['compensations:', ...s.compensations.flatMap((c) => [`  - id: ${c.id}`, `    workflow: ${c.workflow}`, `    when: ${c.when ?? 'before_revert'}`, `    on_failure: ${c.onFailure ?? 'abort'}`, ...(c.timeout ? [`    timeout: ${c.timeout}`] : []), ...(c.retry ? ['    retry:', `      attempts: ${c.retry.attempts}`, `      backoff: ${c.retry.backoff}`] : [])])]
      : []),
    '',
  ].join('\n');
}

export interface MergedChange {
  readonly repo: string;
  readonly number: number;
  readonly mergeSha: string;
}

/**
 * Opens and merges one PR per entry, in order; each PR's body carries `Depends-On:` lines for the
 * entries it names, so later PRs depend on earlier ones.
 */
export async function mergeChangeSet(
  driver: SandboxDriver,
  org: string,
  changes: Array<{ repo: string; branch: string; title: string; files: Record<string, string | null>; dependsOn?: number[]; method?: 'merge' | 'squash' | 'rebase' }>,
): Promise<MergedChange[]> {
  const merged: MergedChange[] = [];
  for (const c of changes) {
    const [, name] = c.repo.split('/');
    await driver.commit(org, name, { branch: c.branch, files: c.files, message: c.title, author: ONCALL });
    const deps = (c.dependsOn ?? []).map((i) => `Depends-On: ${merged[i].repo}#${merged[i].number}`);
    const number = await driver.openPull(ONCALL, org, name, { head: c.branch, title: c.title, body: [`${c.title}.`, '', ...deps].join('\n') });
    const mergeSha = await driver.mergePull(SRE_LEAD, org, name, number, c.method ?? 'merge');
    merged.push({ repo: c.repo, number, mergeSha });
  }
  return merged;
}
