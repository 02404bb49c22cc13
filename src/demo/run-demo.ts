/**
 * `npm run demo`: a real cross-repo rollback on the embedded sandbox. It starts the sandbox (strict
 * OpenAPI checking on) and Unwind as a Probot server, seeds an org, merges a change set linked by
 * `Depends-On:`, comments `/rollback` as the on-call engineer, shows the waves as they progress, and
 * prints the ledger and the final state of every repository. With `serve`, it then keeps both
 * running and prints what to open and how to act as the demo's people (see ./serve-demo.ts).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Octokit } from '@octokit/rest';
import { startUnwindServer, type RunningServer } from '../app/start-server.ts';
import type { DashboardSettings } from '../app/sign-in/dashboard-settings.ts';
import { parseTrackingState } from '../execution/tracking-issue.ts';
import type { RollbackState } from '../execution/state.ts';
import { parseLedgerComment } from '../ledger/entry.ts';
import { startSandbox, type Sandbox } from '../sandbox/index.ts';
import { oauthClientOf } from '../sandbox/oauth/credentials.ts';
import { mergeChangeSet, ONCALL, seedOrg, SRE_LEAD, type MergedChange, type OrgSpec } from './seed-org.ts';
import { printServeGuide } from './serve-demo.ts';

const ORG = 'acme';

export const DEMO_ORG: OrgSpec = {
  org: ORG,
  services: [
    { name: 'web', repo: `${ORG}/web`, dependsOn: ['api'], waitFor: ['ci'], owners: ['alice'] },
    { name: 'notify', repo: `${ORG}/notify`, dependsOn: ['api'], waitFor: ['ci'] },
    { name: 'api', repo: `${ORG}/api`, dependsOn: ['billing'], waitFor: ['ci'], mergeMethod: 'squash', owners: ['alice'] },
    { name: 'billing', repo: `${ORG}/billing`, waitFor: ['ci'], tier: 'prod', owners: ['bob'] },
  ],
  ci: [{ name: 'ci', result: 'success', delayMs: 150 }],
};

/** The sandbox, Unwind and the demo's people, up and seeded. */
export interface DemoWorld {
  readonly dir: string;
  readonly sandbox: Sandbox;
  readonly server: RunningServer;
  /** personal tokens of the demo's people (alice: on-call, bob: SRE lead, carol: reader) */
  readonly tokens: Readonly<Record<string, string>>;
  readonly dashboard: DashboardSettings;
  close(opts?: { keep?: boolean }): Promise<void>;
}

/** `/rollbacks` sign-in against the sandbox (the App's OAuth client), or off. */
function dashboardFor(sandbox: Sandbox, auth: 'on' | 'off'): DashboardSettings {
  if (auth === 'off') return { auth: 'off' };
  return { auth: 'github', client: oauthClientOf(sandbox.app), webUrl: sandbox.baseUrl, apiUrl: sandbox.baseUrl };
}

export async function startDemoWorld(opts: { dashboardAuth?: 'on' | 'off'; org?: OrgSpec } = {}): Promise<DemoWorld> {
  const dir = await mkdtemp(join(tmpdir(), 'unwind-demo-'));
  const sandbox = await startSandbox({ dir: join(dir, 'sandbox'), port: 0, strict: true });
  const dashboard = dashboardFor(sandbox, opts.dashboardAuth ?? 'on');
  let server: RunningServer;
  try {
    server = await startUnwindServer({
      appId: sandbox.app.id, privateKey: sandbox.app.privateKeyPem, webhookSecret: sandbox.app.webhookSecret, baseUrl: sandbox.baseUrl, workRoot: dir, pollMs: 500, throttle: false, retryBaseMs: 50, logLevel: 'error', dashboard,
      // A run that stops writing (its lease ran out on a loaded machine) is resumed by the reconciler: often, here.
      reconcileMs: 2_000,
    });
  } catch (err) {
    await sandbox.close();
    throw err;
  }
  sandbox.setWebhookUrl(server.webhookUrl);
  const { tokens } = await seedOrg(sandbox.driver, opts.org ?? DEMO_ORG);
  let closed = false;
  return {
    dir, sandbox, server, tokens, dashboard,
    async close(o = {}) {
      if (closed) return;
      closed = true;
      await server.close();
      await sandbox.close();
      if (!o.keep) await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface DemoRollback {
  readonly status: string;
  readonly merged: readonly MergedChange[];
  readonly tracking: { readonly number: number; readonly url: string } | null;
  /** the last state read from the tracking issue */
  readonly state: RollbackState | null;
}

export interface RollbackHooks {
  /** awaited while the rollback waits for the SRE lead's approval, before it is given */
  beforeApprove?(p: { state: RollbackState; tracking: { number: number; url: string } }): Promise<void>;
  /** awaited after each read of the tracking issue */
  onState?(state: RollbackState): Promise<void>;
}

/** Merges the change set, asks for the rollback as the on-call engineer, approves as the SRE lead, and follows it to its end. */
export async function runDemoRollback(world: DemoWorld, opts: { out: (line: string) => void; timeoutMs?: number; stamp?: () => string } & RollbackHooks): Promise<DemoRollback> {
  const say = opts.out;
  const stamp = opts.stamp ?? (() => '');
  const { sandbox, server } = world;
  // A change set: billing, then api depending on it, then web depending on api.
  const merged = await mergeChangeSet(sandbox.driver, ORG, [
    { repo: `${ORG}/billing`, branch: 'new-pricing', title: 'New pricing engine', files: { 'src/pricing.txt': 'pricing v2\n', 'src/app.txt': 'billing v2\n' } },
    { repo: `${ORG}/api`, branch: 'pricing-endpoint', title: 'Expose new pricing', files: { 'src/app.txt': 'api v2 (pricing)\n' }, dependsOn: [0], method: 'squash' },
    { repo: `${ORG}/web`, branch: 'pricing-page', title: 'Pricing page', files: { 'src/app.txt': 'web v2 (pricing page)\n', 'src/pricing.html': '<h1>New prices</h1>\n' }, dependsOn: [1] },
  ]);
  for (const m of merged) say(`${stamp()} merged ${m.repo}#${m.number} (${m.mergeSha.slice(0, 7)})`);
  // Production breaks: the on-call engineer asks for a rollback of the billing change.
  await server.unwind.ready;
  const billing = merged[0];
  await sandbox.driver.comment(ONCALL, ORG, 'billing', billing.number, '/rollback --reason "checkout returns 500s after the pricing change"');
  say(`${stamp()} @${ONCALL} commented on ${billing.repo}#${billing.number}: /rollback --reason "checkout returns 500s after the pricing change"`);
  // Watch the tracking issue through the REST API, as a person would.
  const user = await sandbox.driver.createUser('demo-viewer');
  const octokit = new Octokit({ baseUrl: sandbox.baseUrl, auth: user.token });
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  const seen = new Map<string, string>();
  let status = 'unknown';
  let approved = false;
  let tracking: { number: number; url: string } | null = null;
  let last: RollbackState | null = null;
  while (Date.now() < deadline) {
    const issues = await octokit.paginate(octokit.rest.issues.listForRepo, { owner: ORG, repo: 'billing', labels: 'unwind:rollback', state: 'all', per_page: 100 });
    const issue = issues[0];
    const state = issue ? parseTrackingState(issue.body ?? '') : null;
    if (state && issue) {
      last = state;
      if (!tracking) {
        tracking = { number: issue.number, url: issue.html_url };
        say(`${stamp()} Unwind opened ${issue.html_url}: "${issue.title}" — ${state.steps.length} steps in ${state.waveCount} waves, policy ${state.decision.allow ? 'allowed' : state.decision.pending ? 'pending' : 'denied'}`);
      }
      for (const step of state.steps) {
        if (seen.get(step.repo) !== step.state) {
          seen.set(step.repo, step.state);
          say(`${stamp()}   wave ${step.wave + 1}/${state.waveCount}  ${step.repo.padEnd(14)} ${step.state}${step.pr ? `  ${step.pr.url}` : ''}`);
        }
      }
      status = state.status;
      await opts.onState?.(state);
      if (state.status === 'awaiting_approval' && !approved) {
        // The policy wants an approver from the SRE team (prod tier outside business hours).
        approved = true;
        await opts.beforeApprove?.({ state, tracking });
        say(`${stamp()} policy: ${state.decision.approvalsRequired} approval(s) needed from ${state.decision.approverTeams.map((t) => `team ${t}`).join(', ') || 'an approver'}; @${SRE_LEAD} comments /rollback approve`);
        await sandbox.driver.comment(SRE_LEAD, ORG, 'billing', issue.number, '/rollback approve');
      }
      if (!['running', 'awaiting_approval'].includes(state.status)) break;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const gaveUp = ['running', 'awaiting_approval', 'unknown'].includes(status);
  await server.unwind.idle();
  say(`${stamp()} rollback ${status}${gaveUp ? ` — gave up waiting after ${Math.round((opts.timeoutMs ?? 60_000) / 1000)} s (this machine is slow or busy: try --timeout 600)` : ''}`);
  return { status, merged, tracking, state: last };
}

export interface DemoOptions {
  readonly out: (line: string) => void;
  readonly keep?: boolean;
  readonly timeoutMs?: number;
  /** keep the sandbox and Unwind running after the demo until this resolves (`--serve`: Ctrl-C) */
  readonly serveUntil?: () => Promise<void>;
  /** `/rollbacks` sign-in while serving (default on) */
  readonly dashboardAuth?: 'on' | 'off';
}

export async function runDemo(opts: DemoOptions): Promise<{ ok: boolean }> {
  const say = opts.out;
  const t0 = Date.now();
  const stamp = (): string => `[${((Date.now() - t0) / 1000).toFixed(1).padStart(5)}s]`;
  const world = await startDemoWorld({ dashboardAuth: opts.dashboardAuth });
  try {
    const { sandbox } = world;
    say(`${stamp()} sandbox: ${sandbox.baseUrl} (GitHub-compatible, strict OpenAPI checking on)`);
    // 1. An org with a dependency map, contracts and CI (seeded with the world).
    say(`${stamp()} seeded org ${ORG}: ${['.github (unwind/map.yml)', ...DEMO_ORG.services.map((s) => `${s.repo.split('/')[1]}${s.dependsOn?.length ? ` → ${s.dependsOn.join(', ')}` : ''}`)].join(' · ')}`);
    // 2–4. The change set, the rollback and its approval.
    const run = await runDemoRollback(world, { out: say, timeoutMs: opts.timeoutMs, stamp });
    const octokit = new Octokit({ baseUrl: sandbox.baseUrl, auth: world.tokens[ONCALL] });
    // 5. The ledger and the final state of each repository.
    if (run.tracking) {
      say('');
      say(`Ledger of ${ORG}/billing#${run.tracking.number} (${run.tracking.url}):`);
      const comments = await octokit.paginate(octokit.rest.issues.listComments, { owner: ORG, repo: 'billing', issue_number: run.tracking.number, per_page: 100 });
      for (const c of comments) {
        const entry = parseLedgerComment(c.body ?? '');
        if (!entry) continue;
        const lines = (c.body ?? '').split('\n').filter((l) => l.trim() && !l.startsWith('<!--') && !l.startsWith('#') && !l.startsWith('`rb-') && !l.startsWith('<sub>'));
        say(`  #${String(entry.seq).padStart(2)} ${entry.at.slice(11, 19)} ${entry.action.padEnd(14)} ${entry.outcome.padEnd(10)} ${(lines[0] ?? '').slice(0, 120)}`);
        for (const l of lines.slice(1).filter((x) => x.startsWith('- ') || /^Wave \d+ of \d+/.test(x))) say(`${' '.repeat(42)}${l.slice(0, 130)}`);
      }
    }
    say('');
    say('Final state of each repository (default branch):');
    for (const s of DEMO_ORG.services) {
      const [, name] = s.repo.split('/');
      const { data: commits } = await octokit.rest.repos.listCommits({ owner: ORG, repo: name, per_page: 2 });
      const { data: file } = await octokit.rest.repos.getContent({ owner: ORG, repo: name, path: 'src/app.txt', mediaType: { format: 'raw' } });
      say(`  ${s.repo.padEnd(14)} ${commits[0].sha.slice(0, 7)} ${commits[0].commit.message.split('\n')[0].padEnd(44)} src/app.txt: ${String(file).trim()}`);
    }
    const violations = sandbox.violations();
    say('');
    say(`OpenAPI contract violations seen by the sandbox: ${violations.length}`);
    for (const v of violations.slice(0, 10)) say(`  [${v.kind}] ${v.where}: ${v.message}`);
    const ok = run.status === 'completed' && violations.length === 0;
    if (opts.serveUntil) {
      await printServeGuide(world, run, say);
      await opts.serveUntil();
      say('');
      say('Stopping the sandbox and Unwind…');
    }
    return { ok };
  } finally {
    await world.close({ keep: opts.keep });
  }
}
