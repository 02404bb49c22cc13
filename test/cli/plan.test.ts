import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { register, runPlan } from '../../src/cli/commands/plan.ts';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'config');
const base = { cwd: fixtures, map: 'org/unwind/map.yml', contracts: 'contracts', links: 'links.json', now: new Date('2025-03-02T00:00:00Z') };
const tmp = mkdtempSync(join(tmpdir(), 'unwind-plan-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('unwind plan', () => {
  it('prints the plan as markdown, with contracts merged through _extends found offline', () => {
    const r = runPlan({ ...base, targets: ['acme/schema#3'] });
    expect(r.exitCode).toBe(0);
    expect(r.output).toContain('#### Wave 3');
    // acme/api extends acme/.github (squash) and overrides wait_for.
    expect(r.output).toContain('| 2.1 | acme/api | api | #13 Expose status filter _(dependent)_<br>#12 Use orders.status _(dependent)_ | squash | `ci`, `integration` | — |');
    expect(r.output).toContain('| 1.2 | acme/web | web (group frontend) | #40 Show order status _(dependent)_ | merge (manual) | required checks | — |');
  });

  it('prints byte-identical JSON for the same input', () => {
    const a = runPlan({ ...base, targets: ['acme/schema#3'], json: true });
    const b = runPlan({ ...base, targets: ['acme/schema#3'], json: true });
    expect(a.output).toBe(b.output);
    const parsed = JSON.parse(a.output);
    expect(parsed.plan.plannedAt).toBe('2025-03-02T00:00:00.000Z');
    expect(parsed.plan.waves).toHaveLength(3);
    expect(parsed.errors).toEqual([]);
  });

  it('exits 1 with the planner errors', () => {
    const r = runPlan({ ...base, targets: ['acme/api#404'] });
    expect(r.exitCode).toBe(1);
    expect(r.output).toContain('error: acme/api#404 was not found');
  });

  it('exits 1 with located problems when the map is invalid', () => {
    const r = runPlan({ ...base, map: 'bad/map.yml', targets: ['acme/api#12'] });
    expect(r.exitCode).toBe(1);
    expect(r.output).toContain('bad/map.yml:4:23: error: service "api" depends on unknown service "dbb"');
  });

  it('accepts YAML facts and reports malformed facts files', () => {
    writeFileSync(join(tmp, 'facts.yml'), '- repo: acme/db\n  number: 1\n  mergedAt: "2025-01-01T00:00:00Z"\n  mergeCommitSha: "1111111111111111111111111111111111111111"\n');
    const ok = runPlan({ ...base, cwd: tmp, map: join(fixtures, 'org/unwind/map.yml'), contracts: undefined, links: 'facts.yml', targets: ['acme/db#1'] });
    expect(ok.exitCode).toBe(0);
    expect(ok.output).toContain('| 1.1 | acme/db | db |');
    writeFileSync(join(tmp, 'bad.json'), '{"pulls": [{"repo": "acme/db"}]}');
    const bad = runPlan({ ...base, cwd: tmp, map: join(fixtures, 'org/unwind/map.yml'), contracts: undefined, links: 'bad.json', targets: ['acme/db#1'] });
    expect(bad.exitCode).toBe(1);
    expect(bad.output).toMatch(/bad\.json:1:1: error: /);
  });

  it('says a directory where the map or a contract should be is a directory', () => {
    const dir = join(tmp, 'dirs');
    mkdirSync(join(dir, 'map.yml'), { recursive: true });
    mkdirSync(join(dir, 'contracts', 'acme', 'api', '.github', 'unwind.yml'), { recursive: true });
    const r = runPlan({ ...base, cwd: dir, map: 'map.yml', contracts: 'contracts', links: undefined, targets: ['acme/api#1'] });
    expect(r.exitCode).toBe(1);
    expect(r.output).toBe([
      'contracts/acme/api/.github/unwind.yml:1:1: error: contracts/acme/api/.github/unwind.yml is a directory, expected a YAML file',
      '    hint: name the file itself, or remove the directory that stands in its place',
      'map.yml:1:1: error: map.yml is a directory, expected a YAML file',
      '    hint: name the file itself, or remove the directory that stands in its place',
      '',
    ].join('\n'));
  });

  it('reports _extends loops (a → b → a, a → a) at the _extends key instead of planning', () => {
    const dir = join(tmp, 'loops');
    mkdirSync(join(dir, 'acme'), { recursive: true });
    writeFileSync(join(dir, 'acme', 'api.yml'), 'revert:\n  merge_method: squash\n_extends: web\n');
    writeFileSync(join(dir, 'acme', 'web.yml'), '_extends: acme/api\n');
    writeFileSync(join(dir, 'acme', 'db.yml'), '_extends: db\n');
    const r = runPlan({ ...base, contracts: join(dir), targets: ['acme/schema#3'] });
    expect(r.exitCode).toBe(1);
    const label = (f: string) => relative(fixtures, join(dir, 'acme', f));
    expect(r.output.split('\n').filter((l) => /^\S+:\d+:\d+: /.test(l))).toEqual([
      `${label('api.yml')}:3:11: error: _extends loops back to acme/web:.github/unwind.yml (at _extends)`,
      `${label('db.yml')}:1:11: error: _extends loops back to acme/db:.github/unwind.yml (at _extends)`,
      `${label('web.yml')}:1:11: error: _extends loops back to acme/api:.github/unwind.yml (at _extends)`,
    ]);
  });

  it('has --help', () => {
    const program = new Command('unwind');
    register(program);
    const help = program.commands.find((c) => c.name() === 'plan')!.helpInformation();
    for (const flag of ['--map <file>', '--contracts <dir>', '--targets <targets...>', '--links <file>', '--json', '--now <iso>']) expect(help).toContain(flag);
  });
});
