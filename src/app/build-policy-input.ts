/** Builds the versioned policy input (pure: every fact is passed in, `now` included). */
import type { PolicyAction, PolicyInput } from '../policy/input.ts';
import { policyTime } from '../policy/policy-time.ts';
import type { RollbackState } from '../execution/state.ts';
import type { Permission } from '../github/port.ts';


export interface PolicyFacts {
  readonly action: PolicyAction;
  readonly actor: { login: string; permission: Permission; permissions: Record<string, Permission>; teams: string[]; isBot: boolean };
  readonly trigger: { kind: 'comment' | 'auto' | 'drill'; reason: string; repo: string; number?: number; url?: string };
  readonly state: Pick<RollbackState, 'id' | 'requestedBy' | 'steps' | 'approvals' | 'waveCount'>;
  readonly approverTeams: Record<string, string[]>;
  readonly contracts: PolicyInput['contracts'];
  readonly autoReverts24h: { org: number; perRepo: Record<string, number> };
  readonly org: PolicyInput['org'];
  readonly now: Date;
}

export function buildPolicyInput(f: PolicyFacts): PolicyInput {
  const waves = Array.from({ length: f.state.waveCount }, (_, index) => ({
    index,
    steps: f.state.steps
      .filter((s) => s.wave === index)
      .map((s) => ({
        repo: s.repo,
        service: s.service,
        prs: s.targets
          .filter((t) => t.kind === 'pull' && t.number !== null)
          .map((t) => ({ number: t.number as number, title: t.title, author: t.author ?? '', merged_at: t.mergedAt ?? f.now.toISOString(), files: t.files })),
        commits: s.targets.map((t) => t.sha),
        compensations: s.compensations.map((c) => c.id),
        ...(f.contracts[s.repo]?.tier ? { tier: f.contracts[s.repo]?.tier } : {}),
      })),
  }));
  const repos = [...new Set(f.state.steps.map((s) => s.repo))].sort();
  return {
    version: 1,
    action: f.action,
    actor: { login: f.actor.login, permission: f.actor.permission, permissions: f.actor.permissions, teams: [...f.actor.teams].sort(), is_bot: f.actor.isBot },
    trigger: { kind: f.trigger.kind, reason: f.trigger.reason, source: { repo: f.trigger.repo, ...(f.trigger.number ? { number: f.trigger.number } : {}), ...(f.trigger.url ? { url: f.trigger.url } : {}) } },
    rollback: { id: f.state.id, requested_by: f.state.requestedBy },
    plan: {
      waves,
      repos,
      services: [...new Set(f.state.steps.map((s) => s.service))].sort(),
      changed_files: [...new Set(f.state.steps.flatMap((s) => s.targets.flatMap((t) => t.files.map((p) => `${s.repo}:${p}`))))].sort(),
    },
    approvals: f.state.approvals.map((a) => ({ login: a.login, teams: f.approverTeams[a.login] ?? [], at: a.at })),
    time: policyTime(f.now),
    contracts: Object.fromEntries(Object.entries(f.contracts).filter(([repo]) => repos.includes(repo))),
    history: { auto_reverts_24h: { org: f.autoReverts24h.org, per_repo: f.autoReverts24h.perRepo } },
    org: f.org,
  };
}
