/**
 * `/rollback drill [targets…] [--reason "…"]` (SPEC §8): the rollback rehearsed end to end on a
 * private copy of the repositories, without touching production. Unwind plans and asks the policy
 * (action `drill`) as for a real rollback, then starts an embedded sandbox, copies each involved
 * repository's default branch into it, and runs the very same saga there: revert branches, PRs,
 * checks, merges, verification, compensations. The report (what would conflict, stop or drift, and
 * how long each wave took) is posted where the drill was asked for. Production gets replies only.
 *
 * Not rehearsed, and the report says so: real CI (the checks the contract waits for are reported
 * passing), branch protection, and the compensation workflows themselves (dispatches succeed).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { createRevertBranch } from '../git/revert-branch.ts';
import { mirrorBranch } from '../git/mirror-branch.ts';
import type { Target } from '../commands/parse-command.ts';
import { formatMs } from '../execution/render-summary.ts';
import { runRollback } from '../execution/run-rollback.ts';
import type { RollbackState } from '../execution/state.ts';
import { Keyring } from '../trust/keyring.ts';
import { TRACKING_LABEL, parseTrackingState, renderTrackingBody, trackingTitle } from '../execution/tracking-issue.ts';
import { createOctokitPort } from '../github/octokit-adapter.ts';
import { createInstallationAccess } from '../github/create-octokit.ts';
import { startSandbox } from '../sandbox/index.ts';
import { mdText } from '../shared/markdown.ts';
import { parseRepo, repoName } from '../shared/repo-name.ts';
import { deriveRollbackId } from '../shared/rollback-id.ts';
import { Waker } from '../shared/waker.ts';
import type { CommandEnv, CommentFacts } from './command-env.ts';
import { decideAction } from './decide-action.ts';
import { describeDecision } from '../execution/describe-decision.ts';
import { CONFIG_REPO, configRepoOf, planRequest } from './plan-request.ts';
import { replyOnce } from './reply.ts';
import { ActorAccess } from './actor-access.ts';
import { refuseUnreadablePlan, refuseUnreadableTargets } from './guard-visibility.ts';
import { newRollbackState } from './start-rollback.ts';

/** A drill that has not finished after this many idle polls (of DRILL_POLL_MS) is reported as unfinished. */
const DRILL_MAX_IDLE_POLLS = 1_500;
const DRILL_POLL_MS = 200;

export async function drillRollback(env: CommandEnv, facts: CommentFacts, p: { targets: readonly Target[]; reason: string | null }): Promise<void> {
  const port = env.client.port;
  const targets = p.targets.length ? p.targets : facts.isPullRequest ? [{ kind: 'pull' as const, owner: facts.repo.owner, repo: facts.repo.repo, number: facts.issueNumber }] : [];
  if (targets.length === 0) return replyOnce(port, facts, 'Name what to rehearse: `/rollback drill owner/repo#123 […]`, or comment `/rollback drill` on the merged pull request itself.');
  // 1. Plan (only what the actor can read) and ask the policy, as for the real thing.
  const requestedAt = env.now();
  const access = new ActorAccess(port, facts.actor, facts.actorIsBot);
  const hiddenTargets = await refuseUnreadableTargets(access, targets);
  if (hiddenTargets) return replyOnce(port, facts, hiddenTargets);
  const planned = await planRequest(env, { org: facts.repo.owner, targets, now: requestedAt, access, replyRepo: repoName(facts.repo) });
  if (!planned.ok) return replyOnce(port, facts, planned.message);
  const hiddenPlan = await refuseUnreadablePlan(access, { repos: planned.plan.waves.flatMap((w) => w.steps.map((s) => s.repo)), extendsFrom: planned.extendsFrom });
  if (hiddenPlan) return replyOnce(port, facts, hiddenPlan);
  const id = deriveRollbackId(`${repoName(facts.repo)}#drill-${facts.commentId}`);
  const state = newRollbackState({ id, facts, planned, reason: p.reason, trackingRepo: { owner: facts.repo.owner, repo: CONFIG_REPO }, trigger: 'comment', requestedAt, plannedAt: env.now() });
  const trigger = { kind: 'drill' as const, reason: p.reason ?? '', repo: repoName(facts.repo), number: facts.issueNumber, url: facts.commentUrl };
  const decision = await decideAction(env, { action: 'drill', state, actor: { login: facts.actor, isBot: facts.actorIsBot }, trigger, mapPaused: planned.mapPaused, access });
  if (!decision.allow) return replyOnce(port, facts, `@${facts.actor}, you may not run this drill.\n\n${describeDecision(decision)}`);
  state.decision = { ...decision, autoMerge: true };
  await replyOnce(port, facts, `Drill \`${id}\` started: rehearsing ${state.steps.length} step(s) in ${state.waveCount} wave(s) on a private copy of the repositories. Production is not touched.\n\n${planned.markdown}`, 'drill-started');
  // 2. Rehearse, and report.
  const report = await rehearse(env, state).catch((err: unknown) => `**Drill \`${id}\` could not run**: ${mdText(err instanceof Error ? err.message : String(err))}`);
  await replyOnce(port, facts, report, 'drill-report');
}

async function rehearse(env: CommandEnv, state: RollbackState): Promise<string> {
  const started = Date.now();
  const dir = await mkdtemp(join(env.workRoot, 'drill-'));
  const sandbox = await startSandbox({ dir: join(dir, 'sandbox'), port: 0, strict: false });
  try {
    // 1. The copy: the org, each repository's default branch with its history, the app installed.
    const d = sandbox.driver;
    const org = state.org;
    await d.createOrg(org);
    const repos = [...new Set(state.steps.map((s) => s.repo))];
    const infos = new Map<string, { defaultBranch: string; cloneUrl: string }>();
    for (const name of repos) {
      const info = await env.client.port.getRepo(parseRepo(name));
      if (!info) throw new Error(`repository ${name} is not visible to Unwind`);
      infos.set(name, info);
      await d.createRepo(org, parseRepo(name).repo, { defaultBranch: info.defaultBranch, files: { 'README.md': 'drill copy\n' }, allowMergeCommit: info.allowMergeCommit, allowSquashMerge: info.allowSquashMerge, allowRebaseMerge: info.allowRebaseMerge });
    }
    await d.createRepo(org, CONFIG_REPO, { files: { 'README.md': 'drill tracking issues\n' } });
    const installationId = await d.installApp(org, { repositories: 'all' });
    const { octokit, token } = createInstallationAccess({ appId: sandbox.app.id, privateKey: sandbox.app.privateKeyPem, installationId, baseUrl: sandbox.baseUrl });
    const productionToken = await env.client.token();
    for (const [name, info] of infos) {
      await mirrorBranch({ from: { url: info.cloneUrl, token: productionToken }, to: { url: `${sandbox.baseUrl}/${name}.git`, token: await token() }, branch: info.defaultBranch, workRoot: dir });
    }
    const copied = Date.now();
    // 2. What cannot be copied is simulated: the checks the contracts wait for pass, compensation workflows succeed.
    for (const name of repos) {
      const steps = state.steps.filter((s) => s.repo === name);
      const checks = [...new Set(steps.flatMap((s) => s.waitForChecks))];
      if (checks.length) await d.setCI(org, parseRepo(name).repo, checks.map((c) => ({ name: c, result: 'success' as const, delayMs: 0 })));
      for (const c of steps.flatMap((s) => s.compensations)) await d.setWorkflow(org, parseRepo(name).repo, basename(c.workflow), { result: 'success' });
    }
    // 3. The same saga, on the copy, with its own tracking issue there.
    const sbPort = createOctokitPort(octokit);
    const tracking = { owner: org, repo: CONFIG_REPO };
    // The rehearsal's own App signs the rehearsal's state: production keys never reach the copy.
    const botLogin = `${sandbox.app.slug}[bot]`;
    const trust = { keyring: Keyring.forApp({ privateKeyPem: sandbox.app.privateKeyPem }), botLogin };
    // The copy has its own PRs and node ids: the production PR names the plan kept (head branch, node id) mean
    // nothing there, so every step reads what it reverts in the copy (and reverts with git, as PRs are not copied).
    const steps = state.steps.map((s) => ({ ...s, targets: s.targets.map(({ headRef: _h, nodeId: _n, ...t }) => t) }));
    const issue = await sbPort.createIssue(tracking, { title: trackingTitle(state), body: renderTrackingBody({ ...state, steps, tracking: { repo: configRepoOf(org), number: 0, url: '' } }, trust.keyring), labels: [TRACKING_LABEL] });
    await runRollback({
      deps: {
        port: sbPort,
        trust,
        now: env.now,
        log: env.log.child({ drill: state.id }),
        concurrency: 4,
        pollMs: DRILL_POLL_MS,
        revert: async (req) => createRevertBranch({ ...req, token: await token(), workRoot: dir, identity: { name: botLogin, email: `${sandbox.app.id}+${botLogin}@users.noreply.github.com` } }),
      },
      tracking: { ...tracking, number: issue.number },
      waker: new Waker(),
      maxIdlePolls: DRILL_MAX_IDLE_POLLS,
    });
    const final = parseTrackingState((await sbPort.getIssue(tracking, issue.number))?.body ?? '');
    if (!final) throw new Error('the rehearsal left no readable state');
    return renderReport(final, { copyMs: copied - started, totalMs: Date.now() - started, repos: repos.length });
  } finally {
    await sandbox.close();
    await rm(dir, { recursive: true, force: true });
  }
}

function renderReport(s: RollbackState, t: { copyMs: number; totalMs: number; repos: number }): string {
  const outcome =
    s.status === 'completed'
      ? `**completed**: every revert merged and verified${s.steps.some((st) => st.drift.length) ? ', with drift' : ''}`
      : s.status === 'running'
        ? `**unfinished** after ${formatMs(DRILL_MAX_IDLE_POLLS * DRILL_POLL_MS)} of waiting`
        : `**would stop at wave ${s.wave + 1} of ${s.waveCount}** (${s.status})`;
  const rows = s.steps.map((st) => `| ${st.wave + 1} | ${mdText(st.repo)} | \`${st.state}\` | ${mdText(st.detail ?? (st.drift.length ? `drift in ${st.drift.join(', ')}` : ''))} |`);
  const waves = s.timings.waves.map((w) => `wave ${w.wave + 1}: ${w.endedAt ? formatMs(Date.parse(w.endedAt) - Date.parse(w.startedAt)) : 'unfinished'}`);
  return [
    `**Drill \`${s.id}\`** rehearsed on a private copy of ${t.repos} repositor${t.repos === 1 ? 'y' : 'ies'}; production was not touched.`,
    '',
    `Result: ${outcome}.`,
    '',
    '| wave | repository | final state | detail |',
    '|---|---|---|---|',
    ...rows,
    '',
    `Timings: copying ${formatMs(t.copyMs)}, whole drill ${formatMs(t.totalMs)}${waves.length ? `; ${waves.join(', ')}` : ''}.`,
    '',
    '_Not rehearsed: real CI (the checks the contracts wait for were reported passing), branch protection, and the compensation workflows themselves (dispatches succeeded)._',
  ].join('\n');
}
