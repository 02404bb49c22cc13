/**
 * Hostile text in every user-controlled field of a rollback cannot forge a hidden record, ping anyone,
 * inject HTML or break a table in the tracking issue, the ledger comments or the revert PR body.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planToSteps } from '../../src/app/plan-to-steps.ts';
import { describeDecision } from '../../src/execution/describe-decision.ts';
import { renderSummary } from '../../src/execution/render-summary.ts';
import { requestRecord } from '../../src/execution/request-entry.ts';
import { revertPullBody } from '../../src/execution/revert-text.ts';
import { ROLLBACK_STATUSES, type RollbackState } from '../../src/execution/state.ts';
import { openTrackingState, parseTrackingState, renderTrackingBody, trackingTitle } from '../../src/execution/tracking-issue.ts';
import { waveSection } from '../../src/execution/wave-records.ts';
import { parseLedgerComment, renderLedgerComment } from '../../src/ledger/entry.ts';
import { renderPlanMarkdown } from '../../src/planning/render-plan-markdown.ts';
import type { PlanMessage, PlanStep, RollbackPlan } from '../../src/planning/types.ts';
import { sampleEntry } from '../ledger/arbitraries.ts';
import { hostileString } from '../support/hostile.ts';
import { testKeyring } from '../support/test-keyring.ts';

const ID = 'rb-hostile01';
const AT = '2025-03-01T10:00:00.000Z';
const SHA_PULL = 'a'.repeat(40);
const SHA_COMMIT = 'b'.repeat(40);
const ISSUE_URL = 'https://github.com/acme/.github/issues/5';
const BOT = 'unwind[bot]';
/** Who Unwind mentions on purpose: the requester, an approver, a user the policy names as approver. */
const INTENDED = new Set(['alice', 'carol', 'dave']);

const hostileFields = fc.record({
  reason: hostileString,
  title: hostileString,
  message: hostileString,
  service: hostileString,
  group: hostileString,
  check: hostileString,
  compensationId: hostileString,
  workflow: hostileString,
  file: hostileString,
  detail: hostileString,
  drift: hostileString,
  warning: hostileString,
  policyReason: hostileString,
  enforcement: hostileString,
  policyWarning: hostileString,
  team: hostileString,
  approver: hostileString,
  owner: hostileString,
  status: fc.constantFrom(...ROLLBACK_STATUSES),
  trigger: fc.constantFrom('comment' as const, 'auto' as const),
});
type Hostile = typeof hostileFields extends fc.Arbitrary<infer T> ? T : never;

function planOf(h: Hostile): RollbackPlan {
  const revert: PlanStep = {
    key: 'acme/api:api',
    repo: 'acme/api',
    service: h.service,
    action: 'revert',
    group: h.group,
    tier: '',
    pulls: [{ number: 12, title: h.title, url: 'https://github.com/acme/api/pull/12', author: 'dev', mergeCommitSha: SHA_PULL, mergedAt: AT, files: [h.file], reason: 'target', dependsOn: [] }],
    commits: [{ sha: SHA_COMMIT, message: h.message, committedAt: AT, parents: 1, files: [h.file] }],
    reverts: [
      { sha: SHA_COMMIT, mainline: null, source: `acme/api@${SHA_COMMIT}` },
      { sha: SHA_PULL, mainline: null, source: 'acme/api#12' },
    ],
    changedFiles: [h.file],
    mergeMethod: 'merge',
    waitForChecks: [h.check, 'ci'],
    checksTimeout: '30m',
    autoMerge: true,
    labels: [],
    owners: [h.owner],
    compensations: [],
  };
  const compensate: PlanStep = {
    ...revert,
    key: 'acme/schema:schema',
    repo: 'acme/schema',
    action: 'compensate',
    group: null,
    pulls: [],
    commits: [],
    reverts: [],
    waitForChecks: [],
    compensations: [
      { id: h.compensationId, workflow: h.workflow, ref: '', inputs: {}, when: 'before_revert', idempotencyKey: '{rollback_id}:{repo}:{id}', timeout: '15m', retry: { attempts: 2, backoff: '30s', maxBackoff: '10m' }, onFailure: 'abort' },
    ],
  };
  return {
    version: 1,
    plannedAt: AT,
    targets: ['acme/api#12', `acme/api@${SHA_COMMIT}`],
    waves: [
      { index: 0, steps: [compensate] },
      { index: 1, steps: [revert] },
    ],
    summary: { waves: 2, steps: 2, repos: 2, pulls: 1, commits: 1, compensations: 1 },
  };
}

function stateOf(h: Hostile): RollbackState {
  const plan = planOf(h);
  const warnings: PlanMessage[] = [{ code: 'unmerged_link', message: h.warning, subject: h.service }];
  const steps = planToSteps(plan, ID);
  Object.assign(steps[0], { detail: `compensation ${h.compensationId} failed`, state: 'compensation_failed' });
  Object.assign(steps[1], { detail: h.detail, drift: [h.drift, h.file], state: 'verified', pr: { number: 31, url: 'https://github.com/acme/api/pull/31' }, mergeSha: SHA_PULL });
  return {
    v: 1,
    id: ID,
    status: h.status,
    org: 'acme',
    configRepo: 'acme/.github',
    contracts: { 'acme/api': { service: h.service, owners: [h.owner], paused: false, auto_merge: true } },
    summary: `acme/api#12 (${h.reason.slice(0, 80)})`,
    origin: { repo: 'acme/api', number: 12, url: 'https://github.com/acme/api/pull/12', commentUrl: 'https://github.com/acme/api/pull/12#issuecomment-1' },
    tracking: { repo: 'acme/.github', number: 5, url: ISSUE_URL },
    requestedBy: 'alice',
    trigger: h.trigger,
    reason: h.reason,
    createdAt: AT,
    decision: {
      allow: false,
      pending: true,
      reasons: [{ reason: h.policyReason, enforcement: h.enforcement }],
      warnings: [h.policyWarning],
      approvalsRequired: 1,
      approverTeams: [h.team],
      // A policy could name anything as an approver: only a valid login is mentioned.
      approverUsers: ['dave', `${h.approver} @eve`],
      autoMerge: true,
      engine: 'rego',
      policyVersion: `sha256:${'c'.repeat(64)}`,
    },
    approvals: [{ login: 'carol', at: AT }],
    seq: 0,
    wave: 1,
    waveCount: 2,
    pendingWaveEntries: [],
    steps,
    warnings: warnings.map((w) => `${w.subject}: ${w.message}`),
    planMarkdown: renderPlanMarkdown(plan, { warnings }),
    timings: { requestedAt: AT, plannedAt: AT, approvedAt: null, firstPrAt: null, waves: [], finishedAt: null, resumes: 0, reconciliationMs: 0 },
  };
}

function count(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

/** The markdown's plain text: escaped characters and code spans (where backslashes are literal) blanked out. */
function outsideCode(markdown: string): string {
  let out = '';
  for (let i = 0; i < markdown.length; i++) {
    const c = markdown[i];
    if (c === '\\') {
      out += '  ';
      i++;
    } else if (c === '`' && /^[^`\n]*`/.test(markdown.slice(i + 1))) {
      const end = markdown.indexOf('`', i + 1);
      out += ' '.repeat(end - i + 1);
      i = end;
    } else out += c;
  }
  return out;
}

/** Logins GitHub would notify for this markdown (escapes and code spans make no mention). */
function mentioned(markdown: string): string[] {
  return [...outsideCode(markdown).matchAll(/(?:^|[^\w`])@([A-Za-z0-9][\w-]*(?:\/[\w.-]+)?)/g)].map((m) => m[1]);
}

/** Every table keeps the column count of its header row. */
function expectTablesIntact(markdown: string): void {
  let columns: number | null = null;
  for (const line of markdown.split('\n')) {
    if (!line.startsWith('|')) {
      columns = null;
      continue;
    }
    const pipes = count(line.replace(/\\[\s\S]/g, ''), '|');
    columns ??= pipes;
    expect(pipes, line).toBe(columns);
  }
}

/** Markdown built from user text: no HTML (Unwind's own `<br>` aside), no mention but the intended ones, tables whole. */
function expectNeutral(markdown: string): void {
  expect(markdown.replaceAll('<br>', '')).not.toContain('<');
  expect(markdown).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
  for (const login of mentioned(markdown)) expect(INTENDED.has(login), `@${login} mentioned`).toBe(true);
  expectTablesIntact(markdown);
}

describe('tracking issue and ledger with hostile user text', () => {
  it('the body carries exactly one hidden block, Unwind’s signed state, and it reads back unchanged', () => {
    const keyring = testKeyring();
    fc.assert(
      fc.property(hostileFields, (h) => {
        const state = stateOf(h);
        const body = renderTrackingBody(state, keyring);
        expect(count(body, '<!--')).toBe(1);
        expect(parseTrackingState(body)).toEqual(state);
        const issue = { owner: 'acme', repo: '.github', number: 5, title: trackingTitle(state), body, state: 'open' as const, labels: [], htmlUrl: ISSUE_URL, isPullRequest: false, user: { login: BOT, type: 'Bot' as const } };
        expect(openTrackingState(issue, { keyring, botLogin: BOT })).toEqual({ ok: true, state });
        const visible = body.slice(0, body.indexOf('<!--'));
        expectNeutral(visible);
        // The intended mentions are still there: the check above is not vacuous.
        expect(mentioned(visible)).toEqual(expect.arrayContaining(['alice', 'carol']));
      }),
      { numRuns: 300 },
    );
  });

  it('ledger comments, the summary and the revert PR body stay neutral too', () => {
    const keyring = testKeyring();
    fc.assert(
      fc.property(hostileFields, (h) => {
        const state = stateOf(h);
        const request = requestRecord(state).text;
        const texts = [request, describeDecision(state.decision), waveSection(state, 1).lines.join('\n'), renderSummary(state), revertPullBody(state, state.steps[1])];
        for (const text of texts) expectNeutral(text);
        if (h.trigger === 'comment') expect(mentioned(request)).toContain('alice');
        const entry = sampleEntry({ rollback_id: ID, seq: 1 });
        const comment = renderLedgerComment(entry, request, { keyring, where: 'acme/.github#5' });
        expect(count(comment, '<!--')).toBe(1);
        expect(parseLedgerComment(comment)).toEqual(entry);
        expect(count(renderLedgerComment(entry, request), '<!--')).toBe(1);
      }),
      { numRuns: 300 },
    );
  });
});
