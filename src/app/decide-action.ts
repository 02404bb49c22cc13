/**
 * Asks the governance policy about one action on one rollback: gathers the facts (actor permission
 * and teams, kill switch, approvals), builds the input, evaluates (fail closed) and summarises.
 */
import type { DecisionSummary, RollbackState } from '../execution/state.ts';
import type { Decision } from '../policy/decision.ts';
import { decide } from '../policy/evaluate-decision.ts';
import type { PolicyAction } from '../policy/input.ts';
import { loadMap } from '../config/load-map.ts';
import { parseRepo } from '../shared/repo-name.ts';
import type { IssueInfo } from '../github/port.ts';
import type { PolicySet } from '../policy/policy-set.ts';
import { AUTO_LABEL } from '../execution/tracking-issue.ts';
import { listRollbacks, type FoundRollback } from './find-rollback.ts';
import { buildPolicyInput } from './build-policy-input.ts';
import type { CommandEnv } from './command-env.ts';
import { ActorAccess } from './actor-access.ts';

export const DEFAULT_APPROVER_TEAMS = ['sre'];
export const PAUSE_LABEL = 'unwind:pause';

export interface DecideParams {
  readonly action: PolicyAction;
  readonly state: RollbackState;
  readonly actor: { login: string; isBot: boolean };
  readonly trigger: { kind: 'comment' | 'auto' | 'drill'; reason: string; repo: string; number?: number; url?: string };
  /** The map's kill switch when the caller has just read it; otherwise it is read here. */
  readonly mapPaused?: boolean;
  /** The actor's access when the caller already reads it (it is read here otherwise). */
  readonly access?: ActorAccess;
  /** The facts that do not depend on the plan, when the caller started reading them early (readEarlyFacts). */
  readonly early?: EarlyFacts;
}

/**
 * What a decision reads that does not depend on the rollback's plan: the kill-switch issues and automatic
 * reverts of the org config repo, the org's policies, team memberships. A start reads them while it plans.
 */
export interface EarlyFacts {
  readonly configRepo: string;
  readonly pauseIssues: Promise<IssueInfo[]>;
  readonly autoReverts: Promise<FoundRollback[]>;
  readonly policies: Promise<PolicySet>;
  isTeamMember(team: string, login: string): Promise<boolean>;
}

/** Starts reading the plan-independent facts of a decision in the org config repo `configRepo` (`owner/.github`); `login`'s default approver teams too. */
export function readEarlyFacts(env: CommandEnv, configRepo: string, login: string): EarlyFacts {
  const port = env.client.port;
  const ref = parseRepo(configRepo);
  const quiet = <T>(p: Promise<T>): Promise<T> => (p.catch(() => undefined), p);
  const members = new Map<string, Promise<boolean>>();
  const facts: EarlyFacts = {
    configRepo,
    pauseIssues: quiet(port.listIssues(ref, { labels: [PAUSE_LABEL], state: 'open' })),
    autoReverts: quiet(listRollbacks(port, ref, env.trust, 'all', [AUTO_LABEL])),
    policies: quiet(env.policies.forOrg(port, ref)),
    isTeamMember(team, who) {
      const key = `${team}\0${who}`.toLowerCase();
      let answer = members.get(key);
      if (!answer) members.set(key, (answer = quiet(port.isTeamMember(ref.owner, team, who))));
      return answer;
    },
  };
  for (const team of DEFAULT_APPROVER_TEAMS) void facts.isTeamMember(team, login);
  return facts;
}

export async function decideAction(env: CommandEnv, p: DecideParams): Promise<DecisionSummary> {
  const port = env.client.port;
  const configRepo = parseRepo(p.state.configRepo);
  // 1. Who is asking: permission on the repository of the command and on every repository the plan
  //    touches (the lowest one is `actor.permission`), and the teams that matter to approvals.
  const candidateTeams = [...new Set([...DEFAULT_APPROVER_TEAMS, ...p.state.decision.approverTeams, ...contractTeams(p.state)])];
  const logins = [...new Set([p.actor.login, ...p.state.approvals.map((a) => a.login)])];
  const access = p.access ?? new ActorAccess(port, p.actor.login, p.actor.isBot);
  const now = env.now();
  const early = p.early?.configRepo.toLowerCase() === p.state.configRepo.toLowerCase() ? p.early : null;
  const isMember = (team: string, login: string): Promise<boolean> => (early ? early.isTeamMember(team, login) : port.isTeamMember(p.state.org, team, login));
  // Every fact below is independent of the others: read together, one round trip rather than one each.
  const [teams, { permissions, lowest: permission }, pauseIssues, mapPaused, autoReverts, set] = await Promise.all([
    Promise.all(
      logins.map(async (login) => {
        const member = await Promise.all(candidateTeams.map((team) => isMember(team, login)));
        return candidateTeams.filter((_, i) => member[i]);
      }),
    ),
    access.over([p.trigger.repo, ...p.state.steps.map((s) => s.repo)]),
    // 2. The kill switch: the map's `paused`, or an open issue labelled unwind:pause in the config repo.
    early?.pauseIssues ?? port.listIssues(configRepo, { labels: [PAUSE_LABEL], state: 'open' }),
    p.mapPaused ?? loadMap(port, { org: p.state.org, configRepo: configRepo.repo }).then((m) => m.loaded.map?.paused ?? false),
    early?.autoReverts ?? listRollbacks(port, configRepo, env.trust, 'all', [AUTO_LABEL]),
    early?.policies ?? env.policies.forOrg(port, configRepo),
  ]);
  const autoReverts24h = countAutoReverts(autoReverts, now, p.state.id);
  const teamsOf: Record<string, string[]> = Object.fromEntries(logins.map((login, i) => [login, teams[i]!]));
  const pauseIssue = pauseIssues[0];
  // 3. Evaluate.
  const input = buildPolicyInput({
    action: p.action,
    actor: { login: p.actor.login, permission, permissions, teams: teamsOf[p.actor.login] ?? [], isBot: p.actor.isBot },
    trigger: p.trigger,
    state: p.state,
    approverTeams: teamsOf,
    contracts: p.state.contracts,
    autoReverts24h,
    org: { paused: mapPaused, ...(pauseIssue ? { pause_issue: { repo: p.state.configRepo, number: pauseIssue.number, url: pauseIssue.htmlUrl } } : {}) },
    now,
  });
  // The input goes with the decision: the `requested` ledger entry records it for policy impact analysis.
  const decision: DecisionSummary = { ...summarise(decide(set, input, { now, logger: env.log })), input: input as unknown as Record<string, unknown> };
  env.metrics?.decisions.inc({ action: p.action, outcome: decision.allow ? 'allowed' : decision.pending ? 'pending' : 'denied' });
  return decision;
}

/** Automatic reverts started in the last 24 hours (their tracking issues live in the org config repo), for the policy's caps. */
function countAutoReverts(found: readonly FoundRollback[], now: Date, exceptId: string): { org: number; perRepo: Record<string, number> } {
  const since = now.getTime() - 86_400_000;
  const perRepo: Record<string, number> = {};
  let org = 0;
  for (const { state } of found) {
    if (state.id === exceptId || state.status === 'denied' || Date.parse(state.createdAt) < since) continue;
    org += 1;
    for (const repo of new Set(state.steps.map((s) => s.repo))) perRepo[repo] = (perRepo[repo] ?? 0) + 1;
  }
  return { org, perRepo };
}

export function summarise(d: Decision): DecisionSummary {
  const blocking = d.deny.filter((r) => r.enforcement !== 'advisory');
  const allow = d.allow && blocking.length === 0;
  const pending = !allow && blocking.length === 0 && d.pending !== null;
  return {
    allow,
    pending,
    reasons: d.deny.map((r) => ({ reason: r.reason, enforcement: r.enforcement })),
    warnings: [...d.warnings, ...(d.errors ?? [])],
    approvalsRequired: d.pending?.approvals_required ?? 0,
    approverTeams: d.pending?.teams ?? [],
    approverUsers: d.pending?.users ?? [],
    autoMerge: d.auto_merge,
    engine: d.engine,
    policyVersion: d.policy_version,
  };
}

function contractTeams(state: RollbackState): string[] {
  return Object.values(state.contracts)
    .flatMap((c) => c.owners)
    .map((o) => /^@?([\w.-]+)\/([\w.-]+)$/.exec(o))
    .filter((m): m is RegExpExecArray => m !== null && m[1] === state.org)
    .map((m) => m[2]);
}
