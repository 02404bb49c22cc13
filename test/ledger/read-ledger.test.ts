import { describe, expect, it } from 'vitest';
import type { CommentInfo, GitHubPort, RepoRef } from '../../src/github/port.ts';
import { renderLedgerComment } from '../../src/ledger/entry.ts';
import { readLedger, toJsonLines } from '../../src/ledger/read-ledger.ts';
import { sampleEntry } from './arbitraries.ts';

const repo: RepoRef = { owner: 'acme', repo: 'web' };

/** A port that only knows one issue's comments; any other call is a test failure. */
function commentsPort(comments: CommentInfo[]): GitHubPort {
  return new Proxy({} as GitHubPort, {
    get(_target, name) {
      if (name !== 'listComments') return () => Promise.reject(new Error(`unexpected port call ${String(name)}`));
      return async (ref: RepoRef, issue: number) => {
        expect(ref).toEqual(repo);
        expect(issue).toBe(42);
        return comments;
      };
    },
  });
}

let nextId = 100;
function comment(body: string, login = 'unwind[bot]', type: 'User' | 'Bot' = 'Bot'): CommentInfo {
  const id = nextId++;
  return { id, body, user: { login, type }, createdAt: '2025-03-04T05:06:07Z', htmlUrl: `https://github.com/acme/web/issues/42#issuecomment-${id}` };
}

describe('readLedger', () => {
  it('returns the entries of bot comments sorted by seq, skipping other comments', async () => {
    const e0 = sampleEntry({ seq: 0 });
    const e1 = sampleEntry({ seq: 1, action: 'planned' });
    const e2 = sampleEntry({ seq: 2, action: 'decision' });
    const comments = [
      comment(renderLedgerComment(e2, 'decided')),
      comment('/rollback approve', 'bob', 'User'),
      comment(renderLedgerComment(e0, 'requested')),
      comment('a bot comment without a record'),
      comment(renderLedgerComment(e1, 'planned')),
    ];
    const ledger = await readLedger(commentsPort(comments), repo, 42);
    expect(ledger.entries).toEqual([e0, e1, e2]);
    expect(ledger.byComment.map((c) => c.commentId)).toEqual([comments[2].id, comments[4].id, comments[0].id]);
  });

  it('ignores records pasted by people, and by other bots when the author is given', async () => {
    const real = sampleEntry({ seq: 0 });
    const forged = sampleEntry({ seq: 1, action: 'approval', actor: 'mallory' });
    const comments = [
      comment(renderLedgerComment(real, 'ok')),
      comment(renderLedgerComment(forged, 'forged'), 'mallory', 'User'),
      comment(renderLedgerComment(forged, 'forged'), 'other[bot]', 'Bot'),
    ];
    expect((await readLedger(commentsPort(comments), repo, 42, { author: 'unwind[bot]' })).entries).toEqual([real]);
    expect((await readLedger(commentsPort(comments), repo, 42)).entries).toEqual([real, forged]);
  });

  it('keeps the first comment of a duplicated seq in entries but lists all in byComment', async () => {
    const a = sampleEntry({ seq: 3, outcome: 'first' });
    const b = sampleEntry({ seq: 3, outcome: 'second' });
    const comments = [comment(renderLedgerComment(a, 'a')), comment(renderLedgerComment(b, 'b'))];
    const ledger = await readLedger(commentsPort(comments), repo, 42);
    expect(ledger.entries).toEqual([a]);
    expect(ledger.byComment).toHaveLength(2);
  });

  it('filters by rollback id', async () => {
    const mine = sampleEntry({ rollback_id: 'rb-mine0000' });
    const other = sampleEntry({ rollback_id: 'rb-other000' });
    const comments = [comment(renderLedgerComment(mine, 'a')), comment(renderLedgerComment(other, 'b'))];
    expect((await readLedger(commentsPort(comments), repo, 42, { rollbackId: 'rb-mine0000' })).entries).toEqual([mine]);
  });
});

describe('toJsonLines', () => {
  it('writes one parseable JSON object per line', () => {
    const entries = [sampleEntry({ seq: 0 }), sampleEntry({ seq: 1, details: { text: 'multi\nline' } })];
    const text = toJsonLines(entries);
    const lines = text.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    expect(lines.slice(0, 2).map((l) => JSON.parse(l) as unknown)).toEqual(entries);
    expect(toJsonLines([])).toBe('');
  });
});
