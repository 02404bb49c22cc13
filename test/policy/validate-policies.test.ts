import { describe, expect, it } from 'vitest';
import { validatePolicyFiles } from '../../src/policy/validate-policies.ts';

describe('validatePolicyFiles', () => {
  it('accepts a policy defining data.unwind.decision', () => {
    expect(validatePolicyFiles([{ path: 'unwind/policies/a.rego', text: 'package unwind\n\ndecision := {"allow": true}\n' }])).toEqual([]);
  });

  it('reports parse errors with file, line and column', () => {
    const problems = validatePolicyFiles([{ path: 'unwind/policies/a.rego', text: 'package unwind\n\ndecision := {"allow": true\n' }]);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toMatchObject({ file: 'unwind/policies/a.rego', severity: 'error' });
    expect(problems[0].line).toBeGreaterThanOrEqual(3);
    expect(problems[0].message).toMatch(/rego_parse_error/);
  });

  it('reports compile errors in tests too', () => {
    const problems = validatePolicyFiles([
      { path: 'a.rego', text: 'package unwind\n\ndecision := {"allow": true}\n' },
      { path: 'a_test.rego', text: 'package unwind_test\n\ntest_x if {\n\tz == 1\n}\n' },
    ]);
    expect(problems).toMatchObject([{ file: 'a_test.rego', line: 4, severity: 'error', message: expect.stringMatching(/unsafe/) }]);
  });

  it('warns when data.unwind.decision is not defined', () => {
    const problems = validatePolicyFiles([{ path: 'a.rego', text: 'package unwind\n\nallow := true\n' }]);
    expect(problems).toMatchObject([{ file: 'a.rego', line: 1, col: 1, severity: 'warning', message: expect.stringContaining('data.unwind.decision is not defined') }]);
  });

  it('reports invalid data files with their location', () => {
    const problems = validatePolicyFiles([
      { path: 'a.rego', text: 'package unwind\n\ndecision := {"allow": true}\n' },
      { path: 'data.yaml', text: 'a: 1\nb: [1, 2\n' },
      { path: 'data.json', text: '[1]' },
    ]);
    expect(problems).toHaveLength(2);
    const yaml = problems.find((p) => p.file === 'data.yaml');
    expect(yaml).toMatchObject({ severity: 'error', message: expect.stringContaining('invalid YAML') });
    expect(yaml?.line).toBeGreaterThan(1);
    expect(problems.find((p) => p.file === 'data.json')).toMatchObject({ severity: 'error', message: expect.stringContaining('must be an object') });
  });

  it('ignores unrelated files', () => {
    expect(validatePolicyFiles([{ path: 'README.md', text: '# hi' }])).toEqual([]);
  });
});
