import { describe, expect, it } from 'vitest';
import { RegoCompileError, compile, parseModule } from '../../../src/policy/rego/index.ts';

function parseError(text: string, path = 'p.rego'): { line: number; col: number; message: string; code: string } {
  try {
    parseModule({ path, text });
  } catch (e) {
    if (e instanceof RegoCompileError) {
      const p = e.problems[0];
      expect(p.file).toBe(path);
      expect(e.message).toContain(`${path}:${p.line}:${p.col}: ${p.code}: ${p.message}`);
      return p;
    }
    throw e;
  }
  throw new Error('expected a parse error');
}

describe('parser errors carry file:line:col', () => {
  const cases: Array<[string, string, number, number, string]> = [
    ['missing package', 'p := 1', 1, 1, 'expected `package`'],
    ['unterminated string', 'package a\np := "abc', 2, 6, 'non-terminated string'],
    ['bad token', 'package a\np := 1 ^ 2', 2, 8, 'illegal token'],
    ['unclosed body', 'package a\np if {\n  x := 1\n', 4, 1, 'expected `}`'],
    ['keyword as var', 'package a\np if { x := in }', 2, 13, 'unexpected keyword `in`'],
    ['unary minus on var', 'package a\nx := - y', 2, 6, 'unary - can only be used with numeric literals'],
    ['space after dot', 'package a\np := input. x', 2, 13, 'invalid whitespace between . and identifier'],
    ['two terms on one line', 'package a\np if { 1 2 }', 2, 10, 'unexpected number 2'],
    ['rego.v1 requires if', 'package a\nimport rego.v1\np { true }', 3, 3, '`if` keyword is required before rule body'],
    ['rego.v1 requires contains', 'package a\nimport rego.v1\np.a', 3, 1, '`contains` keyword is required for partial set rules'],
    ['import shadowing', 'package a\nimport rego.v1\nimport future.keywords.in', 3, 1, 'this import shadows previous import'],
    ['bad import', 'package a\nimport foo.bar', 2, 15, 'invalid import path'],
    ['bad escape', 'package a\np := "a\\qb"', 2, 8, 'illegal escape sequence'],
    ['empty body', 'package a\np {}', 2, 3, 'found empty body'],
    ['default needs value', 'package a\ndefault p', 2, 10, 'expected `:=` or `=`'],
  ];
  for (const [name, text, line, col, msg] of cases) {
    it(name, () => {
      const p = parseError(text);
      expect(p.code).toBe('rego_parse_error');
      expect(p.message).toContain(msg);
      expect([p.line, p.col]).toEqual([line, col]);
    });
  }
});

describe('parser accepts Rego v1 and opted-in v0 syntax', () => {
  it('parses rules of every shape with locations', () => {
    const m = parseModule({
      path: 'x.rego',
      text: [
        'package unwind.policy',
        'import rego.v1',
        'import data.lib.helpers as h',
        'default allow := false',
        'allow if input.user == "admin"',
        'deny contains msg if { some r in input.repos; msg := r }',
        'owners[name] := team if { some name, team in input.owners }',
        'a.b.c := 1',
        'f(x, y) := x + y',
        'g(x) := "small" if x < 10',
        'else := "big"',
        'raw := `no \\escapes`',
        'c := [x | some x in [1, 2]]',
        'd := {k: v | some k, v in {"a": 1}}',
        's := {x | some x in [1]}',
        'e if every x in [1] { x > 0 }',
      ].join('\n'),
    });
    expect(m.pkg).toEqual(['unwind', 'policy']);
    expect(m.version).toBe('v1');
    expect(m.imports.map((i) => i.alias ?? i.path.join('.'))).toEqual(['rego.v1', 'h']);
    expect(m.rules).toHaveLength(12);
    expect(m.rules[1].loc).toEqual({ file: 'x.rego', line: 5, col: 1 });
    expect(m.rules[6].elses).toHaveLength(1);
  });

  it('treats modules written with v0 bodies as v0 (p[x] is a partial set)', () => {
    const p = compile({ modules: [{ path: 'v0.rego', text: 'package a\np[x] { x := [1, 2][_] }\nq { true }' }] });
    expect(p.evalRef('data.a.p').value).toBeDefined();
    const q = p.query('x := data.a.p[1]');
    expect(q.bindings).toHaveLength(1);
  });

  it('reports all problems of all modules at once', () => {
    try {
      compile({
        modules: [
          { path: 'a.rego', text: 'package a\np := ' },
          { path: 'b.rego', text: 'package b\nq if { x }' },
        ],
      });
      throw new Error('expected failure');
    } catch (e) {
      expect(e).toBeInstanceOf(RegoCompileError);
      const err = e as RegoCompileError;
      expect(err.problems.map((p) => p.file)).toContain('a.rego');
    }
  });
});

describe('rego version selection', () => {
  it("regoVersion 'v1' rejects v0 bodies in modules without future imports", () => {
    const v0 = { path: 'v0.rego', text: 'package a\np { true }' };
    expect(compile({ modules: [v0] }).evalRef('data.a.p').value).toBe(true);
    expect(() => compile({ modules: [v0], regoVersion: 'v1' })).toThrow(/`if` keyword is required/);
    const fut = { path: 'f.rego', text: 'package a\nimport future.keywords.in\np { 1 in [1] }' };
    expect(compile({ modules: [fut], regoVersion: 'v1' }).evalRef('data.a.p').value).toBe(true);
  });
});
