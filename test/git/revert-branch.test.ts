/** Revert branches with real git against the sandbox's smart HTTP: shape of the result, and token hygiene. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRevertBranch, type RevertBranchRequest } from '../../src/git/revert-branch.ts';
import { BareRepo } from '../../src/sandbox/git/bare-repo.ts';
import { startTestSandbox, type TestSandbox } from '../sandbox/support/start.ts';

let sb: TestSandbox;
let token: string;
let work: string;
const who = { name: 'Dev', email: 'dev@example.com' };

beforeAll(async () => {
  sb = await startTestSandbox();
  work = mkdtempSync(join(tmpdir(), 'unwind-revert-'));
  await sb.driver.createOrg('gitorg');
  token = (await sb.driver.createUser('pusher')).token;
  await sb.driver.createRepo('gitorg', 'svc', { files: { 'a.txt': 'one\n', 'b.txt': 'b\n' } });
  await sb.driver.addCollaborator('gitorg', 'svc', 'pusher', 'write');
});
afterAll(async () => {
  await sb?.close();
  rmSync(work, { recursive: true, force: true });
});

function request(over: Partial<RevertBranchRequest>): RevertBranchRequest {
  return { cloneUrl: `${sb.baseUrl}/gitorg/svc.git`, token, baseBranch: 'main', branch: 'unwind/rb-x/1', reverts: [], workRoot: work, identity: { name: 'Unwind', email: 'unwind@example.com' }, ...over };
}

describe('createRevertBranch', () => {
  it('reverts a merge commit with -m 1 on a new branch, leaving other files as they are', async () => {
    const repo = BareRepo.open(sb.driver.repoPath('gitorg', 'svc'));
    const base = (await repo.resolve('refs/heads/main'))!;
    const feature = await repo.commitFiles({ branch: 'feature', parents: [base], files: { 'a.txt': 'two\n' }, message: 'feature', author: who });
    const merge = await repo.merge({ method: 'merge', baseRef: 'refs/heads/main', expectedBaseSha: base, headSha: feature, title: 'Merge feature', message: '', committer: who });
    expect(merge.ok).toBe(true);
    const mergeSha = (merge as { sha: string }).sha;
    const result = await createRevertBranch(request({ reverts: [{ sha: mergeSha, message: 'Revert "feature"\n\nRollback-Id: rb-x\n' }] }));
    expect(result.kind).toBe('pushed');
    const head = (await repo.resolve('refs/heads/unwind/rb-x/1'))!;
    const commit = await repo.getCommit(head);
    expect(commit?.parents).toEqual([mergeSha]);
    expect(commit?.message).toContain('Rollback-Id: rb-x');
    expect((await repo.readFile(head, 'a.txt'))?.content.toString()).toBe('one\n');
    expect((await repo.readFile(head, 'b.txt'))?.content.toString()).toBe('b\n');
    // A second attempt finds the branch instead of forcing it.
    expect((await createRevertBranch(request({ reverts: [{ sha: mergeSha, message: 'Revert\n' }] }))).kind).toBe('branch_exists');
  });

  it('never shows the token in an error', async () => {
    const secret = 'ghs_thisIsNotAValidTokenAtAll0000000';
    const err = await createRevertBranch(request({ token: secret, branch: 'unwind/rb-x/2', reverts: [{ sha: 'a'.repeat(40), message: 'x' }] })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(String((err as Error).message)).not.toContain(secret);
    expect(String((err as Error).stack)).not.toContain(secret);
  });
});
