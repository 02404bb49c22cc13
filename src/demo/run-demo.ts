/**
 * `npm run demo`: a real cross-repo rollback on the embedded sandbox. It starts the sandbox (strict
 * OpenAPI checking on) and Unwind as a Probot server, seeds an org, merges a change set linked by
 * `Depends-On:`, comments `/rollback` as the on-call engineer, shows the waves as they progress, and
 * prints the ledger and the final state of every repository.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Octokit } from '@octokit/rest';
import { startUnwindServer } from '../app/start-server.ts';
import { parseTrackingState } from '../execution/tracking-issue.ts';
import { parseLedgerComment } from '../ledger/entry.ts';
import { startSandbox } from '../sandbox/index.ts';
import { mergeChangeSet, ONCALL, seedOrg, SRE_LEAD, type OrgSpec } from './seed-org.ts';

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

export interface DemoOptions {
  readonly out: (line: string) => void;
  readonly keep?: boolean;
  readonly timeoutMs?: number;
}

export async function runDemo(opts: DemoOptions): Promise<{ ok: boolean }> {
  const say = opts.out;
  const t0 = Date.now();
  const stamp = (): string => `[${((Date.now() - t0) / 1000).toFixed(1).padStart(5)}s]`;
  const dir = await mkdtemp(join(tmpdir(), 'unwind-demo-'));
  const sandbox = await startSandbox({ dir: join(dir, 'sandbox'), port: 0, strict: true });
  say(`${stamp()} sandbox: ${sandbox.baseUrl} (GitHub-compatible, strict OpenAPI checking on)`);
  const server = await startUnwindServer({ appId: sandbox.app.id, privateKey: sandbox.app.privateKeyPem, webhookSecret: sandbox.app.webhookSecret, baseUrl: sandbox.baseUrl, workRoot: dir, pollMs: 500, throttle: false, retryBaseMs: 50, logLevel: 'error' });
  sandbox.setWebhookUrl(server.webhookUrl);
  try {
    // 1. An org with a dependency map, contracts and CI.
    await seedOrg(sandbox.driver, DEMO_ORG);
    say(`${stamp()} seeded org ${ORG}: ${['.github (unwind/map.yml)', ...DEMO_ORG.services.map((s) => `${s.repo.split('/')[1]}${s.dependsOn?.length ? ` → ${s.dependsOn.join(', ')}` : ''}`)].join(' · ')}`);
    // 2. A change set: billing, then api depending on it, then web depending on api.
    const merged = await mergeChangeSet(sandbox.driver, ORG, [
      { repo: `${ORG}/billing`, branch: 'new-pricing', title: 'New pricing engine', files: { 'src/pricing.txt': 'pricing v2\n', 'src/app.txt': 'billing v2\n' } },
      { repo: `${ORG}/api`, branch: 'pricing-endpoint', title: 'Expose new pricing', files: { 'src/app.txt': 'api v2 (pricing)\n' }, dependsOn: [0], method: 'squash' },
      { repo: `${ORG}/web`, branch: 'pricing-page', title: 'Pricing page', files: { 'src/app.txt': 'web v2 (pricing page)\n', 'src/pricing.html': '<h1>New prices</h1>\n' }, dependsOn: [1] },
    ]);
    for (const m of merged) say(`${stamp()} merged ${m.repo}#${m.number} (${m.mergeSha.slice(0, 7)})`);
    // 3. Production breaks: the on-call engineer asks for a rollback of the billing change.
    await server.unwind.ready;
    const billing = merged[0];
    await sandbox.driver.comment(ONCALL, ORG, 'billing', billing.number, '/rollback --reason "checkout returns 500s after the pricing change"');
    say(`${stamp()} @${ONCALL} commented on ${billing.repo}#${billing.number}: /rollback --reason "checkout returns 500s after the pricing change"`);
    // 4. Watch the tracking issue through the REST API, as a person would.
    const user = await sandbox.driver.createUser('demo-viewer');
    const octokit = new Octokit({ baseUrl: sandbox.baseUrl, auth: user.token });
    const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
    const seen = new Map<string, string>();
    let status = 'unknown';
    let approved = false;
    let tracking: { number: number; url: string } | null = null;
    while (Date.now() < deadline) {
      const issues = await octokit.paginate(octokit.rest.issues.listForRepo, { owner: ORG, repo: 'billing', labels: 'unwind:rollback', state: 'all', per_page: 100 });
      const issue = issues[0];
      const state = issue ? parseTrackingState(issue.body ?? '') : null;
      if (state && issue) {
        if (!tracking) {
          tracking = { number: issue.number, url: issue.html_url };
          say(`${stamp()} Unwind opened ${issue.html_url}: "${issue.title}" — ${state.steps.length} steps in ${state.waveCount} waves, policy ${state.decision.allow ? 'allowed' : state.decision.pending ? 'pending' : 'denied'}`);
        }
        for (const step of state.steps) {
          const key = `${step.repo}`;
          if (seen.get(key) !== step.state) {
            seen.set(key, step.state);
            say(`${stamp()}   wave ${step.wave + 1}/${state.waveCount}  ${step.repo.padEnd(14)} ${step.state}${step.pr ? `  ${step.pr.url}` : ''}`);
          }
        }
        status = state.status;
        if (state.status === 'awaiting_approval' && !approved) {
          // The policy wants an approver from the SRE team (prod tier outside business hours).
          approved = true;
          say(`${stamp()} policy: ${state.decision.approvalsRequired} approval(s) needed from ${state.decision.approverTeams.map((t) => `team ${t}`).join(', ') || 'an approver'}; @${SRE_LEAD} comments /rollback approve`);
          await sandbox.driver.comment(SRE_LEAD, ORG, 'billing', issue.number, '/rollback approve');
        }
        if (!['running', 'awaiting_approval'].includes(state.status)) break;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    await server.unwind.idle();
    say(`${stamp()} rollback ${status}`);
    // 5. The ledger and the final state of each repository.
    if (tracking) {
      say('');
      say(`Ledger of ${ORG}/billing#${tracking.number} (${tracking.url}):`);
      const comments = await octokit.paginate(octokit.rest.issues.listComments, { owner: ORG, repo: 'billing', issue_number: tracking.number, per_page: 100 });
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
    return { ok: status === 'completed' && violations.length === 0 };
  } finally {
    await server.close();
    await sandbox.close();
    if (!opts.keep) await rm(dir, { recursive: true, force: true });
  }
}
