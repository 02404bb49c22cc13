import { describe, expect, it } from 'vitest';
import type { CommandEnv, CommentFacts } from '../../src/app/command-env.ts';
import { handleComment } from '../../src/app/handle-comment.ts';
import { PolicySource } from '../../src/app/policy-source.ts';
import type { RollbackRunner } from '../../src/app/rollback-runner.ts';
import { silentLogger } from '../../src/shared/logger.ts';
import { FakeGitHub } from '../support/fake-github.ts';
import { testKeyring } from '../support/test-keyring.ts';

function env(gh: FakeGitHub): CommandEnv {
  return {
    client: { installationId: 1, port: gh, token: async () => 'unused' },
    runner: {} as RollbackRunner, // a command that reaches the runner would throw here
    policies: new PolicySource(silentLogger),
    botLogin: 'unwind[bot]',
    trust: { keyring: testKeyring(), botLogin: 'unwind[bot]' },
    now: () => new Date('2026-01-05T10:00:00Z'),
    log: silentLogger,
    workRoot: '/nonexistent', // no command here touches git
  };
}

const facts = (over: Partial<CommentFacts> = {}): CommentFacts => ({
  repo: { owner: 'acme', repo: 'api' },
  issueNumber: 1,
  isPullRequest: true,
  issueUrl: 'https://fake.test/acme/api/pull/1',
  commentId: 99,
  commentUrl: 'https://fake.test/acme/api/pull/1#issuecomment-99',
  actor: 'alice',
  actorIsBot: false,
  botLogin: 'unwind[bot]',
  ...over,
});

describe('handleComment', () => {
  it('ignores bots entirely, Unwind included: no reaction, no reply', async () => {
    const gh = new FakeGitHub();
    gh.addRepo('acme/api', { files: { a: '1' } });
    await handleComment(env(gh), facts({ actor: 'unwind[bot]', actorIsBot: true }), '/rollback');
    await handleComment(env(gh), facts({ actor: 'other[bot]', actorIsBot: true }), '/rollback abort');
    expect(gh.calls).toEqual([]);
  });

  it('acknowledges a command with 👀 and answers a malformed one once, even when redelivered', async () => {
    const gh = new FakeGitHub();
    gh.addRepo('acme/api', { files: { a: '1' } });
    await handleComment(env(gh), facts(), '/rollback sideways');
    await handleComment(env(gh), facts(), '/rollback sideways');
    expect(gh.calls.filter((c) => c.method === 'addReaction').map((c) => c.args[2])).toEqual(['eyes', 'eyes']);
    const replies = await gh.listComments({ owner: 'acme', repo: 'api' }, 1);
    expect(replies).toHaveLength(1);
    expect(replies[0].body).toMatch(/sideways/);
  });

  it('is not silenced by another App\'s comment carrying its reply marker', async () => {
    const gh = new FakeGitHub();
    gh.addRepo('acme/api', { files: { a: '1' } });
    gh.commentAs('other[bot]', { owner: 'acme', repo: 'api' }, 1, 'seen <!-- unwind:reply-to 99 -->');
    await handleComment(env(gh), facts(), '/rollback sideways');
    const replies = (await gh.listComments({ owner: 'acme', repo: 'api' }, 1)).filter((c) => c.user.login === 'unwind[bot]');
    expect(replies).toHaveLength(1);
    expect(replies[0].body).toMatch(/sideways/);
  });

  it('does nothing for text that is not a command', async () => {
    const gh = new FakeGitHub();
    gh.addRepo('acme/api', { files: { a: '1' } });
    await handleComment(env(gh), facts(), 'LGTM, maybe /rollback later');
    expect(gh.calls).toEqual([]);
  });
});
