import { describe, expect, it } from 'vitest';
import { parseMap } from '../../src/config/parse-map.ts';
import type { ExpectedProblem } from './expected-problem.ts';
import { expectProblemText } from './expected-problem.ts';

const cases: Array<{ name: string; text: string; problems: ExpectedProblem[] }> = [
  { name: 'empty map is valid', text: '', problems: [] },
  {
    name: 'valid map with paths, groups and compensate-only service',
    text: 'services:\n  api: { repo: acme/mono, path: services/api, depends_on: [schema] }\n  web: { repo: acme/mono, path: services/web, depends_on: [api] }\n  schema: { repo: acme/schema, rollback: compensate }\ngroups:\n  edge: [api, web]\n',
    problems: [],
  },
  {
    name: 'unknown service in depends_on, with did-you-mean',
    text: 'services:\n  api:\n    repo: acme/api\n    depends_on: [databse]\n  database:\n    repo: acme/db\n',
    problems: [{ line: 4, col: 18, path: 'services.api.depends_on[0]', message: 'service "api" depends on unknown service "databse"', hint: 'did you mean "database"?' }],
  },
  {
    name: 'service mapped to two repos (written twice)',
    text: 'services:\n  api:\n    repo: acme/api\n  api:\n    repo: acme/api-v2\n',
    problems: [{ line: 4, col: 3, path: 'services.api', message: 'service "api" is mapped to two repos: acme/api (line 2) and acme/api-v2' }],
  },
  {
    name: 'service written twice with the same repo',
    text: 'services:\n  api:\n    repo: acme/api\n  api:\n    repo: acme/api\n',
    problems: [{ line: 4, col: 3, path: 'services.api', message: 'service "api" is defined twice (first on line 2)' }],
  },
  {
    name: 'repo in two services without paths',
    text: 'services:\n  api:\n    repo: acme/mono\n  web:\n    repo: acme/mono\n',
    problems: [{ line: 5, col: 11, path: 'services.web.repo', message: 'repo acme/mono is in two services, "api" and "web", and neither sets a path' }],
  },
  {
    name: 'repo in two services with the same path',
    text: 'services:\n  api: { repo: acme/mono, path: svc/ }\n  web: { repo: acme/mono, path: svc }\n',
    problems: [{ line: 3, col: 16, path: 'services.web.repo', message: 'repo acme/mono is in two services, "api" and "web", and both use path "svc"' }],
  },
  {
    name: 'repo in two services with nested paths',
    text: 'services:\n  api: { repo: acme/mono, path: svc }\n  web: { repo: acme/mono, path: svc/web }\n',
    problems: [{ line: 3, col: 16, path: 'services.web.repo', message: 'repo acme/mono is in two services, "api" and "web", and paths "svc" and "svc/web" overlap' }],
  },
  {
    name: 'group member missing, with did-you-mean',
    text: 'services:\n  web: { repo: acme/web }\ngroups:\n  front: [web, mobil]\n',
    problems: [{ line: 4, col: 16, path: 'groups.front[1]', message: 'group "front" names unknown service "mobil"' }],
  },
  {
    name: 'empty group is a warning',
    text: 'services:\n  web: { repo: acme/web }\ngroups:\n  front: []\n',
    problems: [{ line: 4, col: 10, path: 'groups.front', message: 'group "front" has no members', severity: 'warning' }],
  },
  {
    name: 'self dependency is a cycle',
    text: 'services:\n  a: { repo: acme/a, depends_on: [a] }\n',
    problems: [{ line: 2, col: 35, path: 'services.a.depends_on[0]', message: 'dependency cycle: a → a' }],
  },
  {
    name: 'three-service cycle named as the full path',
    text: 'services:\n  c: { repo: acme/c, depends_on: [a] }\n  b: { repo: acme/b, depends_on: [c] }\n  a: { repo: acme/a, depends_on: [b] }\n',
    problems: [{ line: 4, col: 35, path: 'services.a.depends_on[0]', message: 'dependency cycle: a → b → c → a' }],
  },
  {
    name: 'cycle through a group',
    text: 'services:\n  a: { repo: acme/a, depends_on: [x] }\n  x: { repo: acme/x, depends_on: [b] }\n  b: { repo: acme/b }\ngroups:\n  g: [a, b]\n',
    problems: [{ line: 6, col: 6, path: 'groups.g', message: 'dependency cycle through a group: group:g → x → group:g' }],
  },
  {
    name: 'duplicate depends_on entry is a warning',
    text: 'services:\n  a: { repo: acme/a, depends_on: [b, b] }\n  b: { repo: acme/b }\n',
    problems: [{ line: 2, col: 38, path: 'services.a.depends_on[1]', message: '"b" is listed twice in depends_on', severity: 'warning' }],
  },
  {
    name: 'bad repo name',
    text: 'services:\n  a: { repo: not-a-repo }\n',
    problems: [{ line: 2, col: 14, path: 'services.a.repo', message: /the string "not-a-repo" is not valid here: it must match/ }],
  },
  {
    name: 'missing repo',
    text: 'services:\n  a: { path: x }\n',
    problems: [{ line: 2, col: 6, path: 'services.a.repo', message: 'missing required field "repo"' }],
  },
  {
    name: 'bad rollback kind with did-you-mean',
    text: 'services:\n  a: { repo: acme/a, rollback: compensat }\n',
    problems: [{ line: 2, col: 32, path: 'services.a.rollback', message: 'expected one of "revert", "compensate", got the string "compensat"', hint: 'did you mean "compensate"?' }],
  },
  {
    name: 'invalid service name',
    text: 'services:\n  "my service": { repo: acme/a }\n',
    problems: [{ line: 2, col: 3, path: 'services["my service"]', message: /invalid name "my service"/ }],
  },
  {
    name: 'unknown key in a service with did-you-mean',
    text: 'services:\n  a: { repo: acme/a, depend_on: [] }\n',
    problems: [{ line: 2, col: 22, path: 'services.a.depend_on', message: 'unknown key "depend_on"', hint: 'did you mean "depends_on"?' }],
  },
  {
    name: 'type errors and semantic errors together',
    text: 'services:\n  a: { repo: acme/a, depends_on: [zz], tier: [1] }\n  b: { repo: 5 }\ngroups:\n  g: [nope]\n',
    problems: [
      { line: 2, col: 35, path: 'services.a.depends_on[0]', message: 'service "a" depends on unknown service "zz"' },
      { line: 2, col: 46, path: 'services.a.tier', message: 'expected a string, got a list' },
      { line: 3, col: 14, path: 'services.b.repo', message: 'expected a string, got the integer 5' },
      { line: 5, col: 7, path: 'groups.g[0]', message: 'group "g" names unknown service "nope"' },
    ],
  },
  {
    name: 'names every object has (toString, constructor) are not services',
    text: 'services:\n  api: { repo: acme/api, depends_on: [toString, constructor] }\ngroups:\n  g: [api, hasOwnProperty]\n',
    problems: [
      { line: 2, col: 39, path: 'services.api.depends_on[0]', message: 'service "api" depends on unknown service "toString"' },
      { line: 2, col: 49, path: 'services.api.depends_on[1]', message: 'service "api" depends on unknown service "constructor"' },
      { line: 4, col: 12, path: 'groups.g[1]', message: 'group "g" names unknown service "hasOwnProperty"' },
    ],
  },
  {
    name: 'services may be called toString, constructor or hasOwnProperty',
    text: 'services:\n  hasOwnProperty: { repo: acme/a }\n  constructor: { repo: acme/b, depends_on: [hasOwnProperty] }\n  toString: { repo: acme/c, depends_on: [constructor] }\ngroups:\n  valueOf: [toString]\n',
    problems: [],
  },
  {
    name: '__proto__ as a service or group name is an error, not silently dropped',
    text: 'services:\n  __proto__: { repo: acme/a }\ngroups:\n  __proto__: []\n',
    problems: [
      { line: 2, col: 3, path: 'services.__proto__', message: 'the key "__proto__" is not allowed', hint: /silently lost/ },
      { line: 4, col: 3, path: 'groups.__proto__', message: 'the key "__proto__" is not allowed' },
    ],
  },
  {
    name: 'service, dependency and group names with control or bidirectional characters',
    text: 'services:\n  "pay\u202Emnt": { repo: acme/pay }\n  api: { repo: acme/api, depends_on: ["db\\0"] }\ngroups:\n  "g\u2066": [api]\n',
    problems: [
      { line: 2, col: 3, path: 'services["pay\\u202Emnt"]', message: 'invalid name "pay\\u202Emnt": it contains U+202E (right-to-left override); control and bidirectional formatting characters are not allowed in names', hint: /another order than it is stored/ },
      { line: 3, col: 39, path: 'services.api.depends_on[0]', message: 'the string "db\\u0000" contains U+0000 (NUL); control and bidirectional formatting characters are not allowed here' },
      { line: 3, col: 39, path: 'services.api.depends_on[0]', message: 'service "api" depends on unknown service "db\\u0000"' },
      { line: 5, col: 3, path: 'groups["g\\u2066"]', message: 'invalid name "g\\u2066": it contains U+2066 (left-to-right isolate); control and bidirectional formatting characters are not allowed in names' },
    ],
  },
  {
    name: 'root is a scalar',
    text: 'hello\n',
    problems: [{ line: 1, col: 1, path: '', message: 'the dependency map must be a mapping (key: value), got the string "hello"' }],
  },
];

describe('parseMap rules and messages', () => {
  it.each(cases)('$name', ({ text, problems }) => {
    const result = parseMap({ file: 'unwind/map.yml', text });
    const got = [...result.problems].sort((a, b) => a.line - b.line || a.col - b.col);
    expect(got.map((p) => `${p.line}:${p.col} ${p.path} ${p.message}`)).toHaveLength(problems.length);
    problems.forEach((want, i) => {
      const p = got[i];
      expect({ line: p.line, col: p.col, path: p.path, severity: p.severity }).toEqual({ line: want.line, col: want.col, path: want.path, severity: want.severity ?? 'error' });
      expectProblemText(p, want);
      expect(p.hint ?? '').not.toBe('');
    });
    expect(result.map === null).toBe(problems.some((p) => (p.severity ?? 'error') === 'error'));
  });
});
