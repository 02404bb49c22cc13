/**
 * Where METADATA problems are reported (OPA's ast/annotations.go and parser.go: a scope or attachment error
 * is at the block's `# METADATA` line, a redeclaration names the first block's file:row, a YAML type error
 * is at comments[N] of the block), and rego.metadata.* outside a rule. Results of the builtins are in the
 * oracle-filled cases/metadata.yaml and OPA's suite (opa/v1/regometadatachain); the oracle cannot express
 * the subpackages scope (it merges packages), so that test follows AnnotationSet.Chain's documented order
 * (rule entry, then subpackages blocks from the closest package path to the farthest, each with its path).
 */
import { describe, expect, it } from 'vitest';
import { RegoCompileError, RegoEvalError, compile } from '../../../src/policy/rego/index.ts';
import type { RegoProblem } from '../../../src/policy/rego/index.ts';

function problems(...texts: string[]): RegoProblem[] {
  try {
    compile({ modules: texts.map((text, i) => ({ path: `m${i}.rego`, text })) });
  } catch (e) {
    if (e instanceof RegoCompileError) return e.problems;
    throw e;
  }
  return [];
}

describe('METADATA problems and their locations', () => {
  it('an unknown scope is a parse error at the # METADATA line', () => {
    const [p] = problems('package t\n\n# METADATA\n# scope: everywhere\np := 1\n');
    expect(p).toMatchObject({ file: 'm0.rego', line: 3, col: 1, code: 'rego_parse_error' });
    expect(p.message).toBe("invalid annotation scope 'everywhere'. Use one of 'rule', 'document', 'package', or 'subpackages'");
  });

  it('a package scope on a rule names what it is attached to', () => {
    const [p] = problems('package t\n\n# METADATA\n# scope: package\np := 1\n');
    expect(p).toMatchObject({ line: 3, code: 'rego_parse_error', message: "annotation scope 'package' must be applied to package (have rule)" });
  });

  it('a block on an import has no valid scope', () => {
    const [p] = problems('package t\n\n# METADATA\n# title: x\nimport data.q\np := 1\n');
    expect(p).toMatchObject({ line: 3, code: 'rego_parse_error', message: "invalid annotation scope 'import'. Use one of 'rule', 'document', 'package', or 'subpackages'" });
  });

  it('a YAML type error is at the block line OPA picks', () => {
    const [p] = problems('package t\n\n# METADATA\n# title: ok\n# description: [a]\n# custom: {}\np := 1\n');
    expect(p).toMatchObject({ line: 6, code: 'rego_parse_error' });
    expect(p.message).toBe('yaml: unmarshal errors:\n  line 2: cannot unmarshal !!seq into string');
  });

  it('a package block declared in two modules of one package is redeclared at the second', () => {
    const a = '# METADATA\n# title: a\npackage t\n';
    const b = '# METADATA\n# title: b\npackage t\np := 1\n';
    const [p] = problems(a, b);
    expect(p).toMatchObject({ file: 'm1.rego', line: 1, code: 'rego_type_error', message: 'package annotation redeclared: m0.rego:1' });
  });

  it('a subpackages block reaches the rules of packages below it', () => {
    const top = '# METADATA\n# scope: subpackages\n# title: all of a\npackage a\n';
    const sub = 'package a.b\np := [e.annotations.title | some e in rego.metadata.chain(); e.annotations]\nq := [e.path | some e in rego.metadata.chain()]\n';
    const policy = compile({ modules: [{ path: 'top.rego', text: top }, { path: 'sub.rego', text: sub }] });
    expect(policy.evalRef('data.a.b.p').value).toEqual(['all of a']);
    expect(policy.evalRef('data.a.b.q').value).toEqual([['a', 'b', 'q'], ['a']]);
  });

  it('rego.metadata.chain() in a query is OPA error: not within a rule', () => {
    const policy = compile({ modules: [{ path: 'x.rego', text: 'package t\np := 1\n' }] });
    let err: unknown;
    try {
      policy.query('x := rego.metadata.chain()', { strictBuiltinErrors: true });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RegoEvalError);
    expect((err as Error).message).toContain('the rego.metadata.chain function must only be called within the scope of a rule');
  });
});
