import { describe, expect, it } from 'vitest';
import { runPolicyTests } from '../../src/policy/run-policy-tests.ts';

const now = new Date('2024-05-14T10:30:00Z');

describe('runPolicyTests (opa test semantics)', () => {
  it('reports pass, fail (false / undefined / non-true) and error per test with its location', () => {
    const policy = 'package p\n\nlimit := data.cfg.limit\n';
    const tests = [
      'package p_test',
      '',
      'import data.p',
      '',
      'test_passes if p.limit == 3',
      '',
      'test_false if p.limit == 4',
      '',
      'test_undefined if input.nothing',
      '',
      'test_value := 7',
      '',
      'test_conflict if f(1) == 0',
      '',
      'f(_) := 1',
      '',
      'f(_) := 2',
      '',
      'helper if true',
      '',
    ].join('\n');
    const report = runPolicyTests(
      [
        { path: 'pol/p.rego', content: policy },
        { path: 'pol/p_test.rego', content: tests },
        { path: 'pol/data.json', content: '{"cfg": {"limit": 3}}' },
      ],
      { now },
    );
    expect(report.problems).toEqual([]);
    const byName = Object.fromEntries(report.results.map((r) => [r.name, r]));
    expect(Object.keys(byName)).toEqual(['test_passes', 'test_false', 'test_undefined', 'test_value', 'test_conflict']);
    expect(byName.test_passes).toMatchObject({ status: 'pass', file: 'pol/p_test.rego', line: 5, ref: 'data.p_test.test_passes' });
    expect(byName.test_false).toMatchObject({ status: 'fail', line: 7 });
    expect(byName.test_undefined).toMatchObject({ status: 'fail', message: 'undefined' });
    expect(byName.test_value).toMatchObject({ status: 'fail', message: 'evaluated to 7' });
    expect(byName.test_conflict).toMatchObject({ status: 'error', line: 13 });
    expect(byName.test_conflict.message).toMatch(/conflict/);
  });

  it('reports compile problems with file:line:col instead of running', () => {
    const report = runPolicyTests([{ path: 'x_test.rego', content: 'package x\n\ntest_a if {\n\ty == 1\n}\n' }], { now });
    expect(report.results).toEqual([]);
    expect(report.problems.join('\n')).toMatch(/^x_test\.rego:4:\d+: rego_unsafe_var_error/);
  });

  it('turns a runaway test into an error, not a hang', () => {
    const rego =
      'package slow_test\n\nr := numbers.range(1, 5000)\n\ntest_runaway if {\n\ta := r[_]\n\tb := r[_]\n\ta == b + 10000\n}\n';
    const report = runPolicyTests([{ path: 'slow_test.rego', content: rego }], { now, budget: { maxSteps: 10_000 } });
    expect(report.results).toMatchObject([{ name: 'test_runaway', status: 'error' }]);
  });
});
