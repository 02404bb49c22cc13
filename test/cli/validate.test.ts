import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { register, runValidate } from '../../src/cli/commands/validate.ts';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'config');
const tmp = mkdtempSync(join(tmpdir(), 'unwind-validate-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('unwind validate', () => {
  it('prints every problem of contracts and maps as file:line:col and exits 1', async () => {
    const r = await runValidate({ cwd: fixtures, files: ['bad/map.yml', 'bad/unwind.yml'] });
    expect(r.exitCode).toBe(1);
    expect(r.output.split('\n').filter((l) => /^\S+:\d+:\d+: /.test(l))).toEqual([
      'bad/map.yml:4:18: error: dependency cycle: api → web → api (at services.api.depends_on[0])',
      'bad/map.yml:4:23: error: service "api" depends on unknown service "dbb" (at services.api.depends_on[1])',
      'bad/map.yml:10:11: error: expected a string, got the integer 7 (at services.db.path)',
      'bad/map.yml:12:16: error: group "front" names unknown service "mobil" (at groups.front[1])',
      'bad/unwind.yml:2:3: error: unknown key "merge_methd" (at revert.merge_methd)',
      'bad/unwind.yml:5:15: error: workflow "Turn the flag off" is not a workflow file path like .github/workflows/x.yml (at compensations[0].workflow)',
      'bad/unwind.yml:6:14: error: "10 minutes" is not a duration (at compensations[0].timeout)',
    ]);
    expect(r.output).toContain('    hint: did you mean "db"?');
    expect(r.output.trimEnd().split('\n').pop()).toBe('7 error(s), 0 warning(s) in 2 file(s)');
  });

  it('validates an org config checkout: map, org default contract, policies', async () => {
    const r = await runValidate({ cwd: fixtures, files: [], orgConfig: 'org' });
    expect(r.checked).toEqual(['org/unwind/map.yml', 'org/.github/unwind.yml', 'org/unwind/policies/decision.rego']);
    // Contract and map problems are none; the policy is checked by the policy engine (its verdict is its own).
    expect(r.problems.filter((p) => !p.file.endsWith('.rego'))).toEqual([]);
  });

  it('passes Rego problems through with their location', async () => {
    const dir = join(tmp, 'org-bad-rego');
    cpSync(join(fixtures, 'org'), dir, { recursive: true });
    writeFileSync(join(dir, 'unwind/policies/decision.rego'), 'package unwind\n\ndecision := {\n');
    const r = await runValidate({ cwd: tmp, files: [], orgConfig: 'org-bad-rego' });
    expect(r.exitCode).toBe(1);
    expect(r.problems).toEqual([expect.objectContaining({ file: 'org-bad-rego/unwind/policies/decision.rego', line: 4, col: 1, severity: 'error' })]);
    expect(r.problems[0].message).not.toMatch(/could not be checked/);
  });

  it('exits 0 on valid files and finds the default files in the current directory', async () => {
    const dir = join(tmp, 'repo');
    cpSync(join(fixtures, 'contracts/acme/schema.yml'), join(dir, '.github/unwind.yml'), { recursive: true });
    const r = await runValidate({ cwd: dir, files: [] });
    expect(r).toMatchObject({ exitCode: 0, checked: ['.github/unwind.yml'], problems: [] });
    expect(r.output).toBe('0 error(s), 0 warning(s) in 1 file(s)\n');
  });

  it('reports missing files and empty directories as errors', async () => {
    const empty = mkdtempSync(join(tmp, 'empty-'));
    expect((await runValidate({ cwd: empty, files: [] })).problems[0].message).toMatch(/^nothing to validate/);
    const r = await runValidate({ cwd: empty, files: ['nope.yml'] });
    expect(r.exitCode).toBe(1);
    expect(r.output).toContain('nope.yml:1:1: error: cannot read file: ENOENT');
  });

  it('says a directory where a contract or the map should be is a directory', async () => {
    const dir = join(tmp, 'dirs');
    mkdirSync(join(dir, '.github', 'unwind.yml'), { recursive: true });
    mkdirSync(join(dir, 'unwind', 'map.yml'), { recursive: true });
    const r = await runValidate({ cwd: dir, files: [] });
    expect(r.exitCode).toBe(1);
    expect(r.output).toContain('.github/unwind.yml:1:1: error: .github/unwind.yml is a directory, expected a YAML file\n');
    expect(r.output).toContain('unwind/map.yml:1:1: error: unwind/map.yml is a directory, expected a YAML file\n');
    expect(r.output).not.toContain('EISDIR');
    const org = await runValidate({ cwd: tmp, files: [], orgConfig: 'dirs' });
    expect(org.problems.map((p) => p.message)).toEqual(['dirs/.github/unwind.yml is a directory, expected a YAML file', 'dirs/unwind/map.yml is a directory, expected a YAML file']);
  });

  it('reports _extends loops among the contracts at hand at the _extends key, worded as the app words them', async () => {
    const dir = join(tmp, 'loops');
    mkdirSync(join(dir, 'acme'), { recursive: true });
    writeFileSync(join(dir, 'acme', 'a.yml'), 'owners: [x]\n_extends: b\n');
    writeFileSync(join(dir, 'acme', 'b.yml'), '_extends: acme/a\n');
    writeFileSync(join(dir, 'acme', 'self.yml'), '_extends: self\n');
    mkdirSync(join(dir, 'org', '.github'), { recursive: true });
    writeFileSync(join(dir, 'org', '.github', 'unwind.yml'), '_extends: .github\n');
    mkdirSync(join(dir, 'acme', 'svc', '.github'), { recursive: true });
    writeFileSync(join(dir, 'acme', 'svc', '.github', 'unwind.yml'), '_extends: acme/svc:.github/unwind.yml\n');
    const r = await runValidate({ cwd: dir, files: ['acme/a.yml', 'acme/b.yml', 'acme/self.yml', 'acme/svc/.github/unwind.yml'], orgConfig: 'org' });
    expect(r.exitCode).toBe(1);
    expect(r.output.split('\n').filter((l) => /^\S+:\d+:\d+: /.test(l))).toEqual([
      'acme/a.yml:2:11: error: _extends loops back to acme/b:.github/unwind.yml (at _extends)',
      'acme/b.yml:1:11: error: _extends loops back to acme/a:.github/unwind.yml (at _extends)',
      'acme/self.yml:1:11: error: _extends loops back to acme/self:.github/unwind.yml (at _extends)',
      'acme/svc/.github/unwind.yml:1:11: error: _extends loops back to acme/svc:.github/unwind.yml (at _extends)',
      'org/.github/unwind.yml:1:11: error: _extends loops back to <org>/.github:.github/unwind.yml (at _extends)',
    ]);
    expect(r.output).toContain('    hint: remove one `_extends` so the chain ends');
    // A chain that ends (or leaves the files at hand) is fine.
    writeFileSync(join(dir, 'acme', 'b.yml'), '_extends: elsewhere\n');
    const ok = await runValidate({ cwd: dir, files: ['acme/a.yml', 'acme/b.yml'] });
    expect(ok).toMatchObject({ exitCode: 0, problems: [] });
  });

  it('has --help', () => {
    const program = new Command('unwind');
    register(program);
    const help = program.commands.find((c) => c.name() === 'validate')!.helpInformation();
    expect(help).toContain('Usage: unwind validate [options] [files...]');
    expect(help).toContain('--org-config <dir>');
  });
});
