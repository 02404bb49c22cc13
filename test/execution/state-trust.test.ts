/** What Unwind reads back counts only if it wrote and signed it, and a state never lags its signed ledger. */
import { describe, expect, it } from 'vitest';
import { LedgerWriter } from '../../src/execution/ledger-writer.ts';
import type { RollbackState } from '../../src/execution/state.ts';
import { openTrackingState, renderTrackingBody } from '../../src/execution/tracking-issue.ts';
import type { IssueInfo } from '../../src/github/port.ts';
import { renderHidden } from '../../src/ledger/hidden-json.ts';
import { parseLedgerComment } from '../../src/ledger/entry.ts';
import { TamperedStateError } from '../../src/trust/report-tampering.ts';
import { FakeGitHub } from '../support/fake-github.ts';
import { testKeyring } from '../support/test-keyring.ts';

const BOT = 'unwind[bot]';
const trust = { keyring: testKeyring(), botLogin: BOT };
const REPO = 'acme/api';
const ref = { owner: 'acme', repo: 'api' };

function sampleState(over: Partial<RollbackState> = {}): RollbackState {
  return {
    v: 1, id: 'rb-trust0001', status: 'awaiting_approval', org: 'acme', configRepo: 'acme/.github', contracts: {}, summary: 'acme/api#7',
    origin: { repo: REPO, number: 7, url: 'https://fake.test/acme/api/pull/7', commentUrl: null }, tracking: { repo: REPO, number: 1, url: 'https://fake.test/acme/api/issues/1' },
    requestedBy: 'alice', trigger: 'comment', reason: null, createdAt: '2025-01-01T00:00:00Z',
    decision: { allow: false, pending: true, reasons: [], warnings: [], approvalsRequired: 1, approverTeams: ['sre'], approverUsers: [], autoMerge: true, engine: 'rego', policyVersion: 'sha256:abc' },
    approvals: [], seq: 0, wave: 0, waveCount: 1, pendingWaveEntries: [], steps: [], warnings: [], planMarkdown: 'plan',
    timings: { requestedAt: '2025-01-01T00:00:00Z', plannedAt: '2025-01-01T00:00:01Z', approvedAt: null, firstPrAt: null, waves: [], finishedAt: null, resumes: 0, reconciliationMs: 0 },
    ...over,
  };
}

function issueWith(body: string, over: Partial<IssueInfo> = {}): IssueInfo {
  return { ...ref, number: 1, title: 'Rollback rb-trust0001: acme/api#7', body, state: 'open', labels: ['unwind:rollback'], htmlUrl: 'https://fake.test/acme/api/issues/1', isPullRequest: false, user: { login: BOT, type: 'Bot' }, ...over };
}

describe('openTrackingState', () => {
  const state = sampleState();
  const body = renderTrackingBody(state, trust.keyring);

  it('trusts the body Unwind wrote, on the issue Unwind opened', () => {
    expect(openTrackingState(issueWith(body), trust)).toEqual({ ok: true, state });
  });

  it('refuses an issue opened by a person or another App, even with a copy of a signed body', () => {
    expect(openTrackingState(issueWith(body, { user: { login: 'mallory', type: 'User' } }), trust)).toEqual({ ok: false, why: 'the issue was not opened by Unwind' });
    expect(openTrackingState(issueWith(body, { user: { login: 'other[bot]', type: 'Bot' } }), trust).ok).toBe(false);
  });

  it('refuses a state edited by a person, a second state block, and a signed state moved to another rollback or repository', () => {
    const forged = body.replace(/<!-- unwind:state [^>]*-->/, renderHidden('state', { ...state, status: 'running' }));
    expect(openTrackingState(issueWith(forged), trust)).toEqual({ ok: false, why: 'its state block is not signed' });
    expect(openTrackingState(issueWith(`${renderHidden('state', state)}\n${body}`), trust).ok).toBe(false);
    expect(openTrackingState(issueWith(body, { title: 'Rollback rb-other0001: x' }), trust)).toEqual({ ok: false, why: 'its state belongs to another rollback than its title names' });
    expect(openTrackingState(issueWith(body, { repo: 'web' }), trust).ok).toBe(false);
  });
});

describe('LedgerWriter and the signed ledger', () => {
  async function ledgerWith(actions: Array<'approval' | 'abort' | 'decision'>) {
    const gh = new FakeGitHub();
    gh.addRepo(REPO);
    await gh.createIssue(ref, { title: 'Rollback rb-trust0001: x', body: '', labels: ['unwind:rollback'] });
    const state = sampleState();
    const snapshots: RollbackState[] = [];
    const writer = new LedgerWriter(gh, () => new Date('2025-01-01T00:05:00Z'), trust);
    await writer.append(state, { action: 'requested', actor: 'alice', outcome: 'pending', text: 'requested' });
    for (const action of actions) {
      snapshots.push(structuredClone(state));
      await writer.append(state, { action, actor: 'bob', outcome: action === 'decision' ? 'denied' : 'accepted', text: action });
    }
    return { gh, state, snapshots };
  }

  it('signs every entry for its tracking issue', async () => {
    const { gh } = await ledgerWith(['approval']);
    const comments = await gh.listComments(ref, 1);
    expect(comments.map((c) => parseLedgerComment(c.body)?.seq)).toEqual([1, 2]);
    expect(comments.every((c) => /<!-- unwind:ledger \S+ test\.\S{43} -->/.test(c.body))).toBe(true);
  });

  it('ignores entries a person wrote, and Unwind entries a person edited', async () => {
    const { gh, state } = await ledgerWith(['approval']);
    const [, second] = await gh.listComments(ref, 1);
    const seq3 = (body: string) => body.replace(/unwind:ledger (\S+)/, (_, p: string) => `unwind:ledger ${Buffer.from(Buffer.from(p, 'base64url').toString().replace('"seq":2', '"seq":3')).toString('base64url')}`);
    // A person pastes a copy as a new comment; a maintainer edits Unwind's own comment (the author stays the bot).
    gh.repos.get(REPO)!.comments.get(1)!.push({ ...second, id: 900, body: seq3(second.body), user: { login: 'mallory', type: 'User' } });
    await gh.updateComment(ref, second.id, seq3(second.body));
    const writer = new LedgerWriter(gh, () => new Date(), trust);
    await writer.append(state, { action: 'approval', actor: 'carol', outcome: 'accepted', text: 'x' });
    const entries = (await gh.listComments(ref, 1)).map((c) => parseLedgerComment(c.body));
    expect(entries.filter((e) => e?.seq === 3).map((e) => e?.actor)).toEqual(['bob', 'bob', 'carol']);
  });

  it('refuses a state put back from before several later entries', async () => {
    const { gh, snapshots } = await ledgerWith(['approval', 'approval', 'approval']);
    const writer = new LedgerWriter(gh, () => new Date(), trust);
    await expect(writer.load(snapshots[0])).rejects.toBeInstanceOf(TamperedStateError);
  });

  it('keeps a rollback ended when its state is from before the entry that ended it (a crash, or an old body put back)', async () => {
    for (const [action, status] of [['abort', 'aborted'], ['decision', 'denied']] as const) {
      const { gh, snapshots } = await ledgerWith([action]);
      const writer = new LedgerWriter(gh, () => new Date(), trust);
      const old = snapshots[0];
      await writer.load(old);
      expect(writer.ended?.status).toBe(status);
      await expect(writer.append(old, { action: 'approval', actor: 'bob', outcome: 'accepted', text: 'x' })).rejects.toBeInstanceOf(TamperedStateError);
    }
  });
});
