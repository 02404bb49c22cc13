/**
 * `/rollback [targets…] [--reason "…"] [--dry-run]`: plan, decide, open the tracking issue and
 * start the waves. A redelivered command finds the rollback it already started (the id derives
 * from the comment) and resumes it instead of starting a second one.
 */
import type { Target } from '../commands/parse-command.ts';
import { AUTO_LABEL, TRACKING_LABEL, renderTrackingBody, trackingTitle } from '../execution/tracking-issue.ts';
import type { RepoRef } from '../github/port.ts';
import { isActive, whereItStands, type DecisionSummary, type RollbackState } from '../execution/state.ts';
import { mdText } from '../shared/markdown.ts';
import { parseRepo, repoName } from '../shared/repo-name.ts';
import { deriveRollbackId } from '../shared/rollback-id.ts';
import type { CommandEnv, CommentFacts } from './command-env.ts';
import { decideAction, readEarlyFacts, type EarlyFacts } from './decide-action.ts';
import { describeDecision } from '../execution/describe-decision.ts';
import { requestRecord } from '../execution/request-entry.ts';
import { findRollbackById } from './find-rollback.ts';
import { finishRollback, holdersOf, registryOf, trackRollback, type Holder } from '../registry/registry-locks.ts';
import type { StartClaim } from './rollback-runner.ts';
import { openRollback } from './open-rollback.ts';
import { optOutWarnings } from './veto-window/opt-out-warnings.ts';
import { configRepoOf, planRequest, type PlanRequestResult } from './plan-request.ts';
import { readDefaultBranchFile } from '../config/read-default-branch-file.ts';
import { MAP_PATH } from '../config/load-map.ts';
import { memoReads } from './memo-reads.ts';
import { planToSteps } from './plan-to-steps.ts';
import { replyOnce } from './reply.ts';
import { ActorAccess } from './actor-access.ts';
import type { RegistryStore } from '../registry/registry-store.ts';
import { refuseUnreadablePlan, refuseUnreadableTargets } from './guard-visibility.ts';

export interface StartParams {
  readonly targets: readonly Target[];
  readonly reason: string | null;
  readonly dryRun: boolean;
  readonly overrides: readonly string[];
  /** An automatic revert: its id (from the culprit commit), where its tracking issue goes, the failed check's URL. */
  readonly auto?: { readonly id: string; readonly trackingRepo: RepoRef; readonly url: string | null };
}

export async function startRollback(env: CommandEnv, facts: CommentFacts, p: StartParams): Promise<void> {
  const port = env.client.port;
  const here = repoName(facts.repo);
  const id = p.auto?.id ?? deriveRollbackId(`${here}#comment-${facts.commentId}`);
  const trackingRepo = p.auto?.trackingRepo ?? facts.repo;
  const requestedAt = env.now();
  // Steps 1 to 3 read at the same time: planning only reads, and its result is used (shown) only once the
  // redelivery check and the actor's access allow it.
  const targets = p.targets.length ? p.targets : facts.isPullRequest ? [{ kind: 'pull' as const, owner: facts.repo.owner, repo: facts.repo.repo, number: facts.issueNumber }] : [];
  const access = new ActorAccess(port, facts.actor, facts.actorIsBot);
  // The policy sees the actor's permission here too (read now, with the rest).
  access.permission(here).catch(() => undefined);
  // One snapshot of what planning reads, shared with the opt-out check (it reads the targets' PRs and contracts too).
  const reads = memoReads(port);
  const planning = targets.length ? planRequest(env, { org: facts.repo.owner, targets, now: requestedAt, access, replyRepo: here, reads }) : null;
  planning?.catch(() => undefined);
  // A PR exempt from automatic reverts can still be rolled back by hand; the plan warns (issue 14). Read with planning.
  const optOut = targets.length ? optOutWarnings(reads, targets, Boolean(p.auto)) : null;
  optOut?.catch(() => undefined);
  // What the policy reads that does not depend on the plan (kill switch, automatic reverts, policies, teams), read meanwhile too.
  const early = targets.length ? readEarlyFacts(env, configRepoOf(facts.repo.owner), facts.actor) : undefined;
  // (The registry read here is the one the lock commit builds on: the replica's store keeps it.)
  const known = env.runner.registryOf(env.client, configRepoOf(trackingRepo.owner));
  const finding = p.dryRun ? null : findRollbackById(port, trackingRepo, env.trust, id, known);
  finding?.catch(() => undefined);
  // The lock commit comes after planning: an org's first rollback has its registry branch made meanwhile (once the
  // registry read just sent finds none), from a commit of the config repo: the one the replica last read the map
  // at, else the one planning reads it at.
  if (!p.dryRun && targets.length) {
    const seen = env.knownMaps?.outline(facts.repo.owner)?.commitSha;
    if (seen) known.prepare(seen);
    else {
      readDefaultBranchFile(reads, parseRepo(configRepoOf(facts.repo.owner)), MAP_PATH).then(
        (map) => known.prepare('commitSha' in map && map.commitSha ? map.commitSha : undefined),
        () => known.prepare(),
      );
    }
  }
  const [existing, hiddenTargets] = await Promise.all([finding, targets.length ? refuseUnreadableTargets(access, targets) : null]);
  // 1. A redelivery of the same command (or another failure on the same culprit) resumes what it started.
  if (existing) return resume(env, existing.state, facts);
  // 2. Targets: those named, or the merged PR commented on.
  if (!planning) return replyOnce(port, facts, 'Name what to roll back: `/rollback owner/repo#123 [owner/repo@sha …] [--reason "…"]`, or comment `/rollback` on the merged pull request itself.');
  // 3. Only what the actor can read, planned from the default branches' configuration.
  if (hiddenTargets) return replyOnce(port, facts, hiddenTargets);
  const planned = await planning;
  if (!planned.ok) return replyOnce(port, facts, planned.message);
  for (const w of (await optOut) ?? []) {
    planned.warnings.push(w);
    planned.markdown += `\n\n> **Warning:** ${mdText(w)}`;
  }
  const hiddenPlan = await refuseUnreadablePlan(access, { repos: planned.plan.waves.flatMap((w) => w.steps.map((s) => s.repo)), extendsFrom: planned.extendsFrom });
  if (hiddenPlan) return replyOnce(port, facts, hiddenPlan);
  const plannedAt = env.now();
  const state = newRollbackState({ id, facts, planned, reason: p.reason, trackingRepo, trigger: p.auto ? 'auto' : 'comment', requestedAt, plannedAt });
  // 4. One active rollback per repository: every lock of the plan, taken in one commit to the org's registry,
  // together with this replica's claim on the start (two replicas may handle this very command at once, a
  // redelivery racing the original: one goes on).
  // The policy is asked while the locks are taken (it only reads; a refused lock discards its answer): the lock
  // commit is sent first, and the policy evaluated while it is on its way.
  const registry = registryOf(port, env.trust, planned.configRepo);
  const lock = { id, repos: state.steps.map((s) => s.repo), now: requestedAt };
  const locking = p.dryRun ? null : env.runner.lockAndClaim(env.client, { ...lock, configRepo: planned.configRepo });
  locking?.catch(() => undefined);
  // The evaluation holds the thread for tens of milliseconds: it starts a turn later, once the lock commit is on
  // the wire (its request's steps before the send are all promise callbacks, which run first).
  const deciding = new Promise<void>((resolve) => setImmediate(resolve)).then(() => decide(env, facts, p, { state, planned, access, early }));
  deciding.catch(() => undefined);
  const started = await locking;
  if (started?.kind === 'held') {
    const list = [...new Map(started.holders.map((h) => [h.repo, h])).values()].map((h) => `- ${mdText(h.repo)} is held by rollback \`${h.rollback}\`${h.tracking ? `: ${h.tracking.url}` : ' (starting)'}`);
    return replyOnce(port, facts, ['This rollback cannot start: only one active rollback may hold a repository.', ...list, '', 'Finish or `/rollback abort` that rollback first.'].join('\n'));
  }
  const holders = p.dryRun ? await holdersOf(registry, lock) : [];
  const claim = started?.claim ?? null;
  try {
    // Another replica (or an earlier delivery) may have started it since step 1 and opened the tracking issue:
    // then this resumes it. A tracking issue is opened only after its start's lock commit names the rollback in
    // the registry, so a registry that did not know the id (claim.fresh) rules that out without a search.
    const opened = claim && !claim.fresh ? await findRollbackById(port, trackingRepo, env.trust, id) : null;
    if (opened) return await resume(env, opened.state, facts);
    await decideAndOpen(env, facts, p, { state, planned, holders, registry, claim, trackingRepo, decision: await deciding });
  } finally {
    await claim?.done();
  }
}

/** Step 5 of startRollback: what the policy says about this rollback. */
function decide(env: CommandEnv, facts: CommentFacts, p: StartParams, c: { state: RollbackState; planned: Extract<PlanRequestResult, { ok: true }>; access: ActorAccess; early?: EarlyFacts }): Promise<DecisionSummary> {
  const action = p.auto ? 'auto' : p.overrides.length ? 'override' : 'rollback';
  const trigger = { kind: p.auto ? ('auto' as const) : ('comment' as const), reason: [p.reason ?? '', ...p.overrides].filter(Boolean).join(' — '), repo: repoName(facts.repo), number: facts.issueNumber, url: facts.commentUrl };
  return decideAction(env, { action, state: c.state, actor: { login: facts.actor, isBot: facts.actorIsBot }, trigger, mapPaused: c.planned.mapPaused, access: c.access, early: c.early });
}

/** Steps 5 to 7 of startRollback, under this replica's claim on the rollback. */
async function decideAndOpen(
  env: CommandEnv,
  facts: CommentFacts,
  p: StartParams,
  c: { state: RollbackState; planned: Extract<PlanRequestResult, { ok: true }>; holders: Holder[]; registry: RegistryStore; claim: StartClaim | null; trackingRepo: RepoRef; decision: DecisionSummary },
): Promise<void> {
  const { state, planned, holders, registry, claim, trackingRepo, decision } = c;
  const { id } = state;
  const port = env.client.port;
  // 5. The policy's answer.
  state.decision = decision;
  if (p.dryRun) {
    const held = holders.length ? ['', `It could not start now: ${holders.map((h) => `${mdText(h.repo)} is held by rollback \`${h.rollback}\``).join('; ')}.`] : [];
    return replyOnce(port, facts, [`**Dry run** of a rollback (nothing was changed).`, '', planned.markdown, '', describeDecision(decision), ...held].join('\n'));
  }
  // 6. The tracking issue (a denied rollback holds nothing), and where the registry finds it.
  state.status = decision.allow ? 'running' : decision.pending ? 'awaiting_approval' : 'denied';
  if (state.status === 'denied') await finishRollback(registry, { id, status: 'denied', now: env.now() });
  // A running rollback's loop runs under the start's claim: its state opens with that lease, so the loop starts
  // from it without writing it first.
  if (state.status === 'running' && claim?.lease) state.lease = { ...claim.lease };
  const issue = await port.createIssue(trackingRepo, { title: trackingTitle(state), body: renderTrackingBody(state, env.trust.keyring), labels: p.auto ? [TRACKING_LABEL, AUTO_LABEL] : [TRACKING_LABEL] });
  state.tracking = { repo: repoName(trackingRepo), number: issue.number, url: issue.htmlUrl };
  // Where the registry finds it, written while the loop starts (the claim is renewed in the same commit, and the
  // loop holds that very lease: no second take). A crash before it lands leaves what a crash just before this
  // line left: the redelivered command finds the tracking issue and records it.
  const tracked = state.status === 'denied' ? null : claim ? claim.track(state.tracking) : trackRollback(registry, id, state.tracking);
  tracked?.catch(() => undefined);
  env.metrics?.rollbacksStarted.inc({ trigger: state.trigger, status: state.status });
  // 7. Go (the loop records the request first, from the state just written), and link the origin (the reply
  // needs no wait for the first wave).
  if (state.status === 'running') {
    if (claim) claim.drive(env.client.installationId, state, state);
    else env.runner.ensure(env.client.installationId, state);
  } else await recordStart(env, state);
  await replyOnce(port, facts, originReply(state));
  await tracked;
}

/** The ledger's first entry for a rollback that does not run now (pending or denied); a running one's loop writes it first thing. */
async function recordStart(env: CommandEnv, state: RollbackState): Promise<void> {
  await openRollback(env, state).record(requestRecord(state), (s) => {
    if (s.status === 'denied') s.timings.finishedAt = env.now().toISOString();
  });
}

/** Finishes whatever a crashed or duplicated start left undone; every write is idempotent. */
async function resume(env: CommandEnv, state: RollbackState, facts: CommentFacts): Promise<void> {
  env.log.info(whereItStands(state), 'resuming a rollback: its command came again');
  if (state.seq === 0 && state.status !== 'running') await recordStart(env, state);
  if (isActive(state)) await trackRollback(registryOf(env.client.port, env.trust, state.configRepo), state.id, state.tracking);
  await replyOnce(env.client.port, facts, originReply(state));
  if (state.status !== 'running') return;
  env.runner.ensure(env.client.installationId, state);
}

/**
 * The origin's link to the tracking issue, posted if a crash or restart came between creating the
 * tracking issue and replying (the reply is found by its marker, so it is never posted twice).
 */
export async function ensureOriginReply(env: CommandEnv, state: RollbackState): Promise<void> {
  const commentId = state.trigger === 'auto' ? Number.parseInt(state.id.replace(/^rb-/, ''), 36) : Number(/#issuecomment-(\d+)$/.exec(state.origin.commentUrl ?? '')?.[1]);
  if (!Number.isSafeInteger(commentId) || commentId <= 0) return;
  const facts: CommentFacts = {
    repo: parseRepo(state.origin.repo),
    issueNumber: state.origin.number,
    isPullRequest: false,
    issueUrl: state.origin.url,
    commentId,
    commentUrl: state.origin.commentUrl ?? state.origin.url,
    actor: state.requestedBy,
    actorIsBot: state.trigger === 'auto',
    botLogin: env.botLogin,
  };
  await replyOnce(env.client.port, facts, originReply(state));
}

function originReply(state: RollbackState): string {
  const d = state.decision;
  const head = `${state.trigger === 'auto' ? `Automatic revert of this pull request: ${mdText(state.reason ?? 'a watched check failed')}.\n\n` : ''}Rollback \`${state.id}\` — tracking issue ${state.tracking.url}`;
  if (state.status === 'running') return `${head}\n\nPlanned ${state.steps.length} step(s) in ${state.waveCount} wave(s); starting now.`;
  if (state.status === 'awaiting_approval') return `${head}\n\n${describeDecision(d)}\n\nAn approver comments \`/rollback approve\` on the tracking issue.`;
  return `${head}\n\n${describeDecision(d)}`;
}

function summaryOf(targets: readonly string[], reason: string | null): string {
  const shown = targets.slice(0, 3).join(', ') + (targets.length > 3 ? ` and ${targets.length - 3} more` : '');
  return reason ? `${shown} (${reason.slice(0, 80)})` : shown;
}

/** A new rollback's state before the policy is asked: planned, not yet tracked (issue number 0). */
export function newRollbackState(p: {
  id: string;
  facts: CommentFacts;
  planned: Extract<PlanRequestResult, { ok: true }>;
  reason: string | null;
  trackingRepo: RepoRef;
  trigger: RollbackState['trigger'];
  requestedAt: Date;
  plannedAt: Date;
}): RollbackState {
  const { facts, planned } = p;
  return {
    v: 1,
    id: p.id,
    status: 'running',
    org: facts.repo.owner,
    configRepo: planned.configRepo,
    contracts: planned.contracts,
    summary: summaryOf(planned.plan.targets, p.reason),
    origin: { repo: repoName(facts.repo), number: facts.issueNumber, url: facts.issueUrl, commentUrl: facts.commentUrl },
    tracking: { repo: repoName(p.trackingRepo), number: 0, url: '' },
    requestedBy: facts.actor,
    trigger: p.trigger,
    reason: p.reason,
    createdAt: p.requestedAt.toISOString(),
    decision: placeholderDecision(),
    approvals: [],
    seq: 0,
    wave: 0,
    waveCount: planned.plan.waves.length,
    pendingWaveEntries: [],
    steps: planToSteps(planned.plan, p.id, planned.pullRefs),
    warnings: planned.warnings,
    planMarkdown: planned.markdown,
    timings: { requestedAt: p.requestedAt.toISOString(), plannedAt: p.plannedAt.toISOString(), approvedAt: null, firstPrAt: null, waves: [], finishedAt: null, resumes: 0, reconciliationMs: 0 },
  };
}

function placeholderDecision(): DecisionSummary {
  return { allow: false, pending: false, reasons: [], warnings: [], approvalsRequired: 0, approverTeams: [], approverUsers: [], autoMerge: false, engine: 'rego', policyVersion: 'unevaluated' };
}
