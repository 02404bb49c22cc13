/**
 * Org policies read from the config repo through the sandbox: an OPA wasm bundle (a binary file,
 * read as bytes), and data files alone tuning the shipped policy (here the automatic-revert cap).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeChangeSet, ONCALL } from '../../src/demo/seed-org.ts';
import { assembleFixture, buildBundle } from '../policy/helpers.ts';
import { fileAt, ledgerOf, seed, startWorld, trackingIssues, type World } from './support/world.ts';

let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  await world?.close();
});

describe('org policies in the config repo', () => {
  it('evaluates an OPA wasm bundle committed as unwind/policies/bundle.tar.gz', async () => {
    const org = 'pol-wasm';
    await seed(world, { org, services: [{ name: 'api', repo: `${org}/api` }] });
    const decision = '{\\"allow\\":false,\\"deny\\":[{\\"reason\\":\\"frozen by the wasm bundle\\",\\"enforcement\\":\\"hard\\"}],\\"pending\\":null,\\"auto_merge\\":true,\\"warnings\\":[]}';
    const manifest = JSON.stringify({ revision: 'r1', roots: [''], wasm: [{ entrypoint: 'unwind/decision', module: '/policy.wasm' }] });
    const bundle = await buildBundle({ '/.manifest': manifest, '/policy.wasm': await assembleFixture({ decision }) });
    const d = world.sandbox.driver;
    await d.commit(org, '.github', { branch: 'main', files: { 'unwind/policies/bundle.tar.gz': bundle }, message: 'Org policy bundle' });
    const [change] = await mergeChangeSet(d, org, [{ repo: `${org}/api`, branch: 'f', title: 'Change', files: { 'src/app.txt': 'api v2\n' } }]);
    await d.comment(ONCALL, org, 'api', change.number, '/rollback');
    await world.settle();
    const [tracking] = trackingIssues(world, org, 'api');
    expect(tracking.state.status).toBe('denied');
    expect(tracking.state.decision.engine).toBe('opa-wasm');
    expect(tracking.state.decision.reasons).toEqual([{ reason: 'frozen by the wasm bundle', enforcement: 'hard' }]);
    expect(ledgerOf(world, org, 'api', tracking.number)[0].decision?.engine).toBe('opa-wasm');
    expect(fileAt(world, org, 'api', 'main', 'src/app.txt')).toBe('api v2');
  });

  it('lets data files alone tune the shipped policy: a cap of one automatic revert per repo a day', async () => {
    const org = 'pol-data';
    await seed(world, { org, services: [{ name: 'api', repo: `${org}/api`, autoRevert: { checks: ['deploy'] } }] });
    const d = world.sandbox.driver;
    await d.commit(org, '.github', { branch: 'main', files: { 'unwind/policies/data.json': JSON.stringify({ unwind_config: { caps: { auto_reverts_per_repo_per_day: 1 } } }) }, message: 'Tune caps' });
    const [first] = await mergeChangeSet(d, org, [{ repo: `${org}/api`, branch: 'a', title: 'First break', files: { 'src/app.txt': 'api v2\n' } }]);
    await d.reportCheck(org, 'api', first.mergeSha, { name: 'deploy', result: 'failure' });
    await world.settle();
    const [second] = await mergeChangeSet(d, org, [{ repo: `${org}/api`, branch: 'b', title: 'Second break', files: { 'src/other.txt': 'x\n' } }]);
    await d.reportCheck(org, 'api', second.mergeSha, { name: 'deploy', result: 'failure' });
    await world.settle();
    const issues = trackingIssues(world, org, '.github').sort((a, b) => a.number - b.number);
    expect(issues.map((i) => i.state.status)).toEqual(['completed', 'denied']);
    expect(issues[1].state.decision.engine).toBe('rego');
    expect(issues[1].state.decision.reasons.map((r) => r.reason).join(' ')).toContain('already had 1 automatic reverts in the last 24 h (cap: 1');
    expect(fileAt(world, org, 'api', 'main', 'src/other.txt')).toBe('x');
  });
});
