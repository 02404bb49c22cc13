import { describe, expect, it } from 'vitest';
import { parseContract } from '../../src/config/parse-contract.ts';
import { defaultContract } from '../../src/config/contract-schema.ts';
import type { ExpectedProblem } from './expected-problem.ts';
import { expectProblemText } from './expected-problem.ts';

// Every contract rule and message, with the exact place it must point at.
const cases: Array<{ name: string; text: string; problems: ExpectedProblem[] }> = [
  { name: 'empty file is valid', text: '', problems: [] },
  { name: 'comment-only file is valid', text: '# nothing yet\n', problems: [] },
  {
    name: 'unknown top-level key with did-you-mean',
    text: 'revrt:\n  merge_method: squash\n',
    problems: [{ line: 1, col: 1, path: 'revrt', message: 'unknown key "revrt"', hint: 'did you mean "revert"?' }],
  },
  {
    name: 'unknown nested key with did-you-mean',
    text: 'auto_revert:\n  consecutive_failure: 2\n',
    problems: [{ line: 2, col: 3, path: 'auto_revert.consecutive_failure', message: 'unknown key "consecutive_failure"', hint: 'did you mean "consecutive_failures"?' }],
  },
  {
    name: 'unknown key with no close match lists the allowed keys',
    text: 'zzzzzzzz: 1\n',
    problems: [{ line: 1, col: 1, path: 'zzzzzzzz', message: 'unknown key "zzzzzzzz"', hint: /allowed keys here: service, owners, paused, revert, auto_revert, compensations/ }],
  },
  {
    name: 'wrong type: string for boolean',
    text: 'paused: "yes please"\n',
    problems: [{ line: 1, col: 9, path: 'paused', message: 'expected true or false, got the string "yes please"', hint: /paused: When true/ }],
  },
  {
    name: 'wrong type: scalar for list',
    text: 'owners: alice\n',
    problems: [{ line: 1, col: 9, path: 'owners', message: 'expected a list, got the string "alice"' }],
  },
  {
    name: 'wrong type: list for mapping',
    text: 'revert: [squash]\n',
    problems: [{ line: 1, col: 9, path: 'revert', message: 'expected a mapping (key: value), got a list' }],
  },
  {
    name: 'enum typo',
    text: 'revert:\n  merge_method: sqash\n',
    problems: [{ line: 2, col: 17, path: 'revert.merge_method', message: 'expected one of "merge", "squash", "rebase", got the string "sqash"', hint: 'did you mean "squash"?' }],
  },
  {
    name: 'number below minimum',
    text: 'auto_revert:\n  consecutive_failures: 0\n',
    problems: [{ line: 2, col: 25, path: 'auto_revert.consecutive_failures', message: 'must be at least 1, got the integer 0' }],
  },
  {
    name: 'non-integer',
    text: 'auto_revert:\n  consecutive_failures: 1.5\n',
    problems: [{ line: 2, col: 25, path: 'auto_revert.consecutive_failures', message: 'expected an integer, got the number 1.5' }],
  },
  {
    name: 'empty string in a list of names',
    text: 'revert:\n  wait_for: [ci, ""]\n',
    problems: [{ line: 2, col: 18, path: 'revert.wait_for[1]', message: 'must not be empty' }],
  },
  {
    name: 'bad duration',
    text: 'auto_revert:\n  max_culprit_age: 2 days\n',
    problems: [{ line: 2, col: 20, path: 'auto_revert.max_culprit_age', message: '"2 days" is not a duration', hint: /e\.g\. 30s, 15m, 1h30m/ }],
  },
  {
    name: 'bad duration in a compensation retry',
    text: 'compensations:\n  - id: a\n    workflow: .github/workflows/a.yml\n    retry: { backoff: soon }\n',
    problems: [{ line: 4, col: 23, path: 'compensations[0].retry.backoff', message: '"soon" is not a duration' }],
  },
  {
    name: 'workflow given as a bare file name',
    text: 'compensations:\n  - id: a\n    workflow: flag-off.yml\n',
    problems: [{ line: 3, col: 15, path: 'compensations[0].workflow', message: 'workflow "flag-off.yml" is not a workflow file path like .github/workflows/x.yml', hint: 'did you mean ".github/workflows/flag-off.yml"?' }],
  },
  {
    name: 'workflow given as a display name',
    text: 'compensations:\n  - id: a\n    workflow: Turn flag off\n',
    problems: [{ line: 3, col: 15, path: 'compensations[0].workflow', message: /is not a workflow file path/, hint: /name the workflow by its file path/ }],
  },
  {
    name: 'missing required compensation fields',
    text: 'compensations:\n  - when: after_revert\n',
    problems: [
      { line: 2, col: 5, path: 'compensations[0].id', message: 'missing required field "id"' },
      { line: 2, col: 5, path: 'compensations[0].workflow', message: 'missing required field "workflow"' },
    ],
  },
  {
    name: 'duplicate compensation ids',
    text: 'compensations:\n  - id: a\n    workflow: .github/workflows/a.yml\n  - id: a\n    workflow: .github/workflows/b.yml\n',
    problems: [{ line: 4, col: 9, path: 'compensations[1].id', message: 'compensation id "a" is already used by compensations[0]' }],
  },
  {
    name: 'unknown placeholder in idempotency key',
    text: 'compensations:\n  - id: a\n    workflow: .github/workflows/a.yml\n    idempotency_key: "{rolback_id}-{id}"\n',
    problems: [{ line: 4, col: 22, path: 'compensations[0].idempotency_key', message: 'unknown placeholder {rolback_id} in idempotency_key', hint: 'did you mean {rollback_id}?' }],
  },
  {
    name: 'backoff longer than max_backoff is a warning',
    text: 'compensations:\n  - id: a\n    workflow: .github/workflows/a.yml\n    retry: { backoff: 1h, max_backoff: 1m }\n',
    problems: [{ line: 4, col: 23, path: 'compensations[0].retry.backoff', message: 'backoff 1h is longer than max_backoff 1m', severity: 'warning' }],
  },
  {
    name: 'bad _extends value',
    text: '_extends: [a, b]\n',
    problems: [{ line: 1, col: 1, path: '_extends', message: /_extends must be "repo", "owner\/repo" or "owner\/repo:path\/file.yml", got a list/ }],
  },
  {
    name: 'duplicate key',
    text: 'paused: false\npaused: true\n',
    problems: [{ line: 2, col: 1, path: 'paused', message: 'duplicate key "paused" (first defined on line 1)' }],
  },
  {
    name: 'service names with control or bidirectional characters',
    text: 'service: "pay\u202Emnt"\n',
    problems: [{ line: 1, col: 10, path: 'service', message: 'the string "pay\\u202Emnt" contains U+202E (right-to-left override); control and bidirectional formatting characters are not allowed here', hint: /retype it with plain characters/ }],
  },
  {
    name: 'service name with NUL',
    text: 'service: "pay\\0mnt"\n',
    problems: [{ line: 1, col: 10, path: 'service', message: 'the string "pay\\u0000mnt" contains U+0000 (NUL); control and bidirectional formatting characters are not allowed here' }],
  },
  {
    name: 'service name with a C1 control character',
    text: 'service: "pay\\x9Bmnt"\n',
    problems: [{ line: 1, col: 10, path: 'service', message: 'the string "pay\\u009Bmnt" contains U+009B (a control character); control and bidirectional formatting characters are not allowed here' }],
  },
  {
    name: '__proto__ as a key is an error, not silently dropped',
    text: 'compensations:\n  - id: a\n    workflow: .github/workflows/a.yml\n    inputs: { __proto__: x }\n',
    problems: [{ line: 4, col: 15, path: 'compensations[0].inputs.__proto__', message: 'the key "__proto__" is not allowed' }],
  },
  {
    name: 'root is a list',
    text: '- a\n- b\n',
    problems: [{ line: 1, col: 1, path: '', message: 'a contract must be a mapping (key: value), got a list' }],
  },
  {
    name: 'YAML syntax error',
    text: 'revert:\n  wait_for: [ci\nowners: []\n',
    problems: [{ line: 3, col: 1, path: '', message: /^YAML syntax error: / }],
  },
  {
    name: 'type, unknown-key and semantic errors are reported together',
    text: 'paused: 3\nrevert:\n  merge_methd: squash\n  checks_timeout: forever\ncompensations:\n  - id: a\n    workflow: a.yml\n',
    problems: [
      { line: 1, col: 9, path: 'paused', message: /expected true or false/ },
      { line: 3, col: 3, path: 'revert.merge_methd', message: 'unknown key "merge_methd"' },
      { line: 4, col: 19, path: 'revert.checks_timeout', message: '"forever" is not a duration' },
      { line: 7, col: 15, path: 'compensations[0].workflow', message: /is not a workflow file path/ },
    ],
  },
];

describe('parseContract rules and messages', () => {
  it.each(cases)('$name', ({ text, problems }) => {
    const result = parseContract({ file: '.github/unwind.yml', text });
    const got = [...result.problems].sort((a, b) => a.line - b.line || a.col - b.col || a.path.localeCompare(b.path));
    expect(got).toHaveLength(problems.length);
    problems.forEach((want, i) => {
      const p = got[i];
      expect({ file: p.file, line: p.line, col: p.col, path: p.path, severity: p.severity }).toEqual({
        file: '.github/unwind.yml', line: want.line, col: want.col, path: want.path, severity: want.severity ?? 'error',
      });
      expectProblemText(p, want);
    });
    if (problems.some((p) => (p.severity ?? 'error') === 'error')) expect(result.contract).toBeNull();
    else expect(result.contract).not.toBeNull();
  });
});

describe('parseContract values', () => {
  it('an empty contract equals the defaults', () => {
    expect(parseContract({ file: 'f', text: '' }).contract).toEqual(defaultContract());
    expect(defaultContract().revert.merge_method).toBe('merge');
    expect(defaultContract().auto_revert.max_culprit_age).toBe('24h');
  });

  it('fills defaults inside given sections and keeps given values', () => {
    const c = parseContract({ file: 'f', text: 'revert:\n  merge_method: rebase\ncompensations:\n  - id: flag\n    workflow: .github/workflows/flag.yml\n' }).contract!;
    expect(c.revert).toEqual({ merge_method: 'rebase', wait_for: [], checks_timeout: '30m', auto_merge: true, labels: [] });
    expect(c.compensations[0]).toMatchObject({ id: 'flag', when: 'before_revert', on_failure: 'abort', retry: { attempts: 2, backoff: '30s', max_backoff: '10m' } });
  });

  it('returns the _extends value and strips it from the raw fields', () => {
    const r = parseContract({ file: 'f', text: '_extends: acme/.github:conf/unwind.yml\npaused: true\n' });
    expect(r.extends).toBe('acme/.github:conf/unwind.yml');
    expect(r.raw).toEqual({ paused: true });
    expect(r.contract?.paused).toBe(true);
  });
});
