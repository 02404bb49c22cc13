import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSandbox, type TestSandbox } from './support/start.ts';
import { failure } from './support/http-outcome.ts';
import { setupWorld, type World } from './support/world.ts';

describe('branch protection', () => {
  let sb: TestSandbox;
  let w: World;
  const o = { owner: 'acme', repo: 'web' };
  beforeAll(async () => {
    sb = await startTestSandbox();
    w = await setupWorld(sb);
  });
  afterAll(() => sb.close());

  it('blocks merges until the required check passes (check run or status)', async () => {
    await sb.driver.setProtection('acme', 'web', 'main', { requiredChecks: ['ci', 'legacy'] });
    const sha = await sb.driver.commit('acme', 'web', { branch: 'guarded', files: { 'g.txt': 'g\n' }, message: 'g', author: 'alice' });
    const n = await sb.driver.openPull('alice', 'acme', 'web', { head: 'guarded', title: 'Guarded' });
    await sb.idle();
    expect((await w.app.rest.pulls.get({ ...o, pull_number: n })).data.mergeable_state).toBe('blocked');
    expect(await failure(w.app.rest.pulls.merge({ ...o, pull_number: n }))).toMatchObject({ status: 405, message: 'Required status check "ci" is expected.' });
    await sb.driver.reportCheck('acme', 'web', sha, { name: 'ci', result: 'failure' });
    expect(await failure(w.app.rest.pulls.merge({ ...o, pull_number: n }))).toMatchObject({ status: 405, message: 'Required status check "ci" is failing.' });
    await sb.driver.reportCheck('acme', 'web', sha, { name: 'ci', result: 'success' });
    expect(await failure(w.app.rest.pulls.merge({ ...o, pull_number: n }))).toMatchObject({ status: 405, message: 'Required status check "legacy" is expected.' });
    await w.app.rest.repos.createCommitStatus({ ...o, sha, state: 'success', context: 'legacy' });
    const combined = await w.app.rest.repos.getCombinedStatusForRef({ ...o, ref: 'guarded' });
    expect(combined.data).toMatchObject({ state: 'success', total_count: 1 });
    const runs = await w.app.rest.checks.listForRef({ ...o, ref: sha });
    expect(runs.data.check_runs.map((r) => [r.name, r.conclusion])).toEqual([['ci', 'success']]);
    const suites = await w.app.rest.checks.listSuitesForRef({ ...o, ref: sha });
    expect(suites.data.check_suites[0]).toMatchObject({ status: 'completed', conclusion: 'success' });
    expect((await w.app.rest.pulls.get({ ...o, pull_number: n })).data.mergeable_state).toBe('clean');
    const res = await w.app.rest.pulls.merge({ ...o, pull_number: n });
    expect(res.data.merged).toBe(true);
    const rsc = await w.app.rest.repos.getStatusChecksProtection({ ...o, branch: 'main' });
    expect(rsc.data).toMatchObject({ strict: false, contexts: ['ci', 'legacy'] });
    const unprotected = await failure(w.app.rest.repos.getStatusChecksProtection({ ...o, branch: 'guarded' }));
    expect(unprotected).toMatchObject({ status: 404, message: 'Branch not protected' });
    const rules = await w.app.rest.repos.getBranchRules({ ...o, branch: 'main' });
    expect(rules.data).toEqual([]);
  });

  it('requires approvals from writers when configured', async () => {
    await sb.driver.setProtection('acme', 'web', 'main', { requiredChecks: [], requiredApprovals: 1 });
    await sb.driver.commit('acme', 'web', { branch: 'reviewed', files: { 'r.txt': 'r\n' }, message: 'r', author: 'alice' });
    const n = await sb.driver.openPull('alice', 'acme', 'web', { head: 'reviewed', title: 'Reviewed' });
    await sb.idle();
    expect(await failure(w.app.rest.pulls.merge({ ...o, pull_number: n }))).toMatchObject({ status: 405, message: 'At least 1 approving review is required by reviewers with write access.' });
    await sb.driver.review('bob', 'acme', 'web', n, 'APPROVE');
    const reviews = await w.app.rest.pulls.listReviews({ ...o, pull_number: n });
    expect(reviews.data.map((r) => [r.user?.login, r.state])).toEqual([['bob', 'APPROVED']]);
    expect((await w.app.rest.pulls.merge({ ...o, pull_number: n })).data.merged).toBe(true);
  });

  it('strict checks make a stale head "behind" until update-branch (202) brings it up to date', async () => {
    await sb.driver.setProtection('acme', 'web', 'main', { requiredChecks: ['ci'], strict: true });
    await sb.driver.setCI('acme', 'web', [{ name: 'ci', result: 'success' }]);
    await sb.driver.commit('acme', 'web', { branch: 'stale', files: { 'stale.txt': 's\n' }, message: 'stale', author: 'alice' });
    const n = await sb.driver.openPull('alice', 'acme', 'web', { head: 'stale', title: 'Stale' });
    await sb.idle();
    await sb.driver.commit('acme', 'web', { branch: 'main', files: { 'news.txt': 'n\n' }, message: 'news', author: 'bob' });
    await sb.idle();
    const pr = await w.app.rest.pulls.get({ ...o, pull_number: n });
    expect(pr.data.mergeable_state).toBe('behind');
    expect((await failure(w.app.rest.pulls.merge({ ...o, pull_number: n }))).status).toBe(405);
    const upd = await w.app.rest.pulls.updateBranch({ ...o, pull_number: n, expected_head_sha: pr.data.head.sha });
    expect(upd.status).toBe(202);
    await sb.idle();
    const after = await w.app.rest.pulls.get({ ...o, pull_number: n });
    expect(after.data.head.sha).not.toBe(pr.data.head.sha);
    expect(after.data.mergeable_state).toBe('clean');
    expect((await w.app.rest.pulls.merge({ ...o, pull_number: n })).data.merged).toBe(true);
  });

  it('PUT protection needs admin; the App reads it back', async () => {
    const asBob = new (await import('@octokit/rest')).Octokit({ baseUrl: sb.baseUrl, auth: w.bob.token });
    await asBob.rest.repos.updateBranchProtection({ ...o, branch: 'main', required_status_checks: { strict: false, contexts: ['deploy'] }, enforce_admins: false, required_pull_request_reviews: null, restrictions: null });
    const prot = await w.app.rest.repos.getBranchProtection({ ...o, branch: 'main' });
    expect(prot.data.required_status_checks?.contexts).toEqual(['deploy']);
    const denied = await failure(w.asAlice.rest.repos.updateBranchProtection({ ...o, branch: 'main', required_status_checks: null, enforce_admins: null, required_pull_request_reviews: null, restrictions: null }));
    expect(denied.status).toBe(403);
    const branch = await w.app.rest.repos.getBranch({ ...o, branch: 'main' });
    expect(branch.data.protected).toBe(true);
  });
});
