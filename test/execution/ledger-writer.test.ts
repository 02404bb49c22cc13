/** The ledger is exactly once, checked by content: a crash between posting an entry and saving the state loses nothing and doubles nothing. */
import { describe, expect, it } from 'vitest';
import { LedgerWriter } from '../../src/execution/ledger-writer.ts';
import type { RollbackState } from '../../src/execution/state.ts';
import { parseLedgerComment } from '../../src/ledger/entry.ts';
import { FakeGitHub } from '../support/fake-github.ts';
import { testKeyring } from '../support/test-keyring.ts';

const trust = { keyring: testKeyring(), botLogin: 'unwind[bot]' };
const ref = { owner: 'acme', repo: 'api' };

function sampleState(): RollbackState {
  return {
    v: 1, id: 'rb-ledger0001', status: 'running', org: 'acme', configRepo: 'acme/.github', contracts: {}, summary: 'acme/api#7',
    origin: { repo: 'acme/api', number: 7, url: 'https://fake.test/acme/api/pull/7', commentUrl: null }, tracking: { repo: 'acme/api', number: 1, url: 'https://fake.test/acme/api/issues/1' },
    requestedBy: 'alice', trigger: 'comment', reason: null, createdAt: '2025-01-01T00:00:00Z',
    decision: { allow: true, pending: false, reasons: [], warnings: [], approvalsRequired: 0, approverTeams: [], approverUsers: [], autoMerge: true, engine: 'rego', policyVersion: 'sha256:abc' },
    approvals: [], seq: 0, wave: 0, waveCount: 2, pendingWaveEntries: [], steps: [], warnings: [], planMarkdown: 'plan',
    timings: { requestedAt: '2025-01-01T00:00:00Z', plannedAt: '2025-01-01T00:00:01Z', approvedAt: null, firstPrAt: null, waves: [], finishedAt: null, resumes: 0, reconciliationMs: 0 },
  };
}

const waveEntry = { action: 'wave_completed' as const, actor: 'unwind[bot]', outcome: 'completed', text: 'Wave 1 done', details: { wave: 0, at: 'first run' } };

async function crashedAfterWaveEntry() {
  const gh = new FakeGitHub();
  gh.addRepo('acme/api');
  await gh.createIssue(ref, { title: 'Rollback rb-ledger0001: x', body: '', labels: ['unwind:rollback'] });
  const state = sampleState();
  await new LedgerWriter(gh, () => new Date('2025-01-01T00:01:00Z'), trust).append(state, { action: 'requested', actor: 'alice', outcome: 'allowed', text: 'requested' });
  const saved = structuredClone(state);
  // The wave entry is posted, then the process dies before the state (seq 1) is saved again.
  await new LedgerWriter(gh, () => new Date('2025-01-01T00:02:00Z'), trust).append(structuredClone(state), waveEntry);
  const entries = async () => (await gh.listComments(ref, 1)).map((c) => parseLedgerComment(c.body)!).map((e) => [e.seq, e.action]);
  return { gh, saved, entries };
}

describe('LedgerWriter after a crash between posting and saving', () => {
  it('recognises the same record already posted (same action, actor, outcome and subject; not the same wording or time) and posts nothing', async () => {
    const { gh, saved, entries } = await crashedAfterWaveEntry();
    const resumed = new LedgerWriter(gh, () => new Date('2025-01-01T00:03:00Z'), trust);
    await resumed.append(saved, { ...waveEntry, text: 'Wave 1 done (resumed)', details: { wave: 0, at: 'second run' } });
    expect(saved.seq).toBe(2);
    expect(await entries()).toEqual([[1, 'requested'], [2, 'wave_completed']]);
  });

  it('posts a different record after the one already there instead of skipping it: the ledger ends with the final entry', async () => {
    const { gh, saved, entries } = await crashedAfterWaveEntry();
    const resumed = new LedgerWriter(gh, () => new Date('2025-01-01T00:03:00Z'), trust);
    await resumed.load(saved);
    expect(resumed.hasWaveEntry(0)).toBe(true);
    expect(resumed.hasWaveEntry(1)).toBe(false);
    await resumed.append(saved, { action: 'wave_completed', actor: 'unwind[bot]', outcome: 'completed', text: 'Wave 2 done', details: { wave: 1 } });
    await resumed.append(saved, { action: 'completed', actor: 'unwind[bot]', outcome: 'completed', text: 'done' });
    expect(saved.seq).toBe(4);
    expect(await entries()).toEqual([[1, 'requested'], [2, 'wave_completed'], [3, 'wave_completed'], [4, 'completed']]);
  });
});
