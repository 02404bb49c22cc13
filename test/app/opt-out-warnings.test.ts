/**
 * The plan of a manual `/rollback` warns about a PR that opted out of automatic reverts by the
 * contract's `auto_revert.no_revert_marker` in its description (the label is shown on the sandbox, in
 * test/e2e/veto-window.test.ts); an automatic revert never gets that far (it is not started).
 */
import { describe, expect, it } from 'vitest';
import { optOutWarnings } from '../../src/app/veto-window/opt-out-warnings.ts';
import { FakeGitHub } from '../support/fake-github.ts';

const CONTRACT = ['service: api', 'auto_revert:', '  checks: [deploy]', '  no_revert_marker: "[no auto-revert]"', ''].join('\n');

function world() {
  const port = new FakeGitHub();
  port.addRepo('acme/.github', { files: { 'unwind/map.yml': 'services:\n  api:\n    repo: acme/api\n  web:\n    repo: acme/web\n' } });
  port.addRepo('acme/api', { files: { '.github/unwind.yml': CONTRACT } });
  port.addRepo('acme/web', { files: { '.github/unwind.yml': 'service: web\n' } });
  const marked = port.mergedPull('acme/api', { title: 'Migration', body: 'Intended. [no auto-revert]', files: { 'a.txt': '2\n' } });
  const plain = port.mergedPull('acme/api', { title: 'Tweak', body: 'Nothing special.', files: { 'b.txt': '2\n' } });
  // The same words in a repo whose contract names no marker mean nothing.
  const elsewhere = port.mergedPull('acme/web', { title: 'Web', body: '[no auto-revert]', files: { 'c.txt': '2\n' } });
  return { port, marked, plain, elsewhere };
}

const pull = (repo: string, number: number) => ({ kind: 'pull' as const, owner: 'acme', repo, number });

describe('optOutWarnings', () => {
  it("warns about a PR whose description carries its contract's marker, and about no other", async () => {
    const { port, marked, plain, elsewhere } = world();
    const warnings = await optOutWarnings(port, [pull('api', marked.number), pull('api', plain.number), pull('web', elsewhere.number)], false);
    expect(warnings).toEqual([`acme/api#${marked.number} is exempt from automatic reverts ("[no auto-revert]" in its description), but this rollback was asked for by a person and goes ahead.`]);
  });

  it('says nothing for an automatic revert', async () => {
    const { port, marked } = world();
    expect(await optOutWarnings(port, [pull('api', marked.number)], true)).toEqual([]);
  });
});
