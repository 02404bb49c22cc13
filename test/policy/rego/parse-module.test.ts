/**
 * rego.parse_module returns OPA's JSON AST. OPA 0.47 (the oracle) refuses rego.parse_module (it is an
 * unsafe builtin in the validator that embeds it), so the expected JSON here is taken verbatim from
 * OPA's own marshalling tests (open-policy-agent/opa v1/ast/marshal_test.go: TestRule_MarshalJSON,
 * TestEvery_MarshalJSON, TestWith_MarshalJSON, TestRuleHeadRefWithTermLocations_MarshalJSON without
 * its locations, TestModule_MarshalJSON_PackageScopedAnnotations' package, TestComment_MarshalJSON),
 * each for the module source those tests parse.
 */
import { describe, expect, it } from 'vitest';
import { compile, RegoEvalError } from '../../../src/policy/rego/index.ts';
import { RObject, equals, fromJSONText, toJSONText } from '../../../src/policy/rego/value.ts';
import type { Value } from '../../../src/policy/rego/value.ts';

const policy = compile({ modules: [{ path: 'p.rego', text: 'package t\np := rego.parse_module(input.file, input.src)' }] });

function parse(src: string, file = 'example.rego'): RObject {
  const v = policy.evalRef('data.t.p', { input: { file, src }, strictBuiltinErrors: true }).value;
  expect(v).toBeInstanceOf(RObject);
  return v as RObject;
}

function at(v: Value, ...path: Array<string | number>): Value {
  let cur: Value | undefined = v;
  for (const k of path) {
    if (typeof k === 'number') cur = (cur as Value[])[k];
    else cur = (cur as RObject).get(k);
    expect(cur, `missing ${path.join('.')}`).toBeDefined();
  }
  return cur!;
}

function expectJSON(got: Value, want: string): void {
  const w = fromJSONText(want);
  expect(equals(got, w), `got ${toJSONText(got)}\nwant ${toJSONText(w)}`).toBe(true);
}

const RULE_SRC = '\n\tpackage foo\n\n\t# comment\n\n\tallow if { true }\n\t';

describe('rego.parse_module (OPA JSON AST)', () => {
  it('a package is its path from data (TestModule_MarshalJSON_PackageScopedAnnotations)', () => {
    expectJSON(at(parse('package foo'), 'package'), '{"path":[{"type":"var","value":"data"},{"type":"string","value":"foo"}]}');
  });

  it('a rule: head name, ref and value, body of expressions (TestRule_MarshalJSON)', () => {
    expectJSON(
      at(parse(RULE_SRC), 'rules', 0),
      '{"body":[{"index":0,"terms":{"type":"boolean","value":true}}],"head":{"name":"allow","value":{"type":"boolean","value":true},"ref":[{"type":"var","value":"allow"}]}}',
    );
  });

  it('every: key, value, domain and body (TestEvery_MarshalJSON)', () => {
    const src = '\npackage foo\n\nallow if {\n\tevery e in [1,2,3] {\n\t\te == 1\n    }\n}\n';
    expectJSON(
      at(parse(src), 'rules', 0, 'body', 0, 'terms'),
      '{"body":[{"index":0,"terms":[{"type":"ref","value":[{"type":"var","value":"equal"}]},{"type":"var","value":"e"},{"type":"number","value":1}]}],"domain":{"type":"array","value":[{"type":"number","value":1},{"type":"number","value":2},{"type":"number","value":3}]},"key":null,"value":{"type":"var","value":"e"}}',
    );
  });

  it('with: target and value (TestWith_MarshalJSON)', () => {
    const src = '\npackage foo\n\na if {input}\n\nb if {\n\ta with input as 1\n}\n';
    expectJSON(
      at(parse(src), 'rules', 1, 'body', 0, 'with', 0),
      '{"target":{"type":"ref","value":[{"type":"var","value":"input"}]},"value":{"type":"number","value":1}}',
    );
  });

  it('a ref head with contains: key and ref, no name (TestRuleHeadRefWithTermLocations_MarshalJSON)', () => {
    const src = 'package test\n\nimport rego.v1\n\nref.head[rule].test contains "value" if {\n\trule := "rule"\n}';
    expectJSON(
      at(parse(src, 'test.rego'), 'rules', 0, 'head'),
      '{"key":{"type":"string","value":"value"},"ref":[{"type":"var","value":"ref"},{"type":"string","value":"head"},{"type":"var","value":"rule"},{"type":"string","value":"test"}]}',
    );
  });

  it('comments: base64 text and location (TestComment_MarshalJSON)', () => {
    expectJSON(at(parse(' #comment\npackage foo'), 'comments', 0), '{"Text":"Y29tbWVudA==","Location":{"file":"example.rego","row":1,"col":2}}');
  });

  it('a parse error is the builtin error with OPA text (opa/v1/regoparsemodule)', () => {
    let err: unknown;
    try {
      parse('package foo.', 'x.rego');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RegoEvalError);
    expect((err as RegoEvalError).code).toBe('eval_builtin_error');
    expect((err as Error).message).toContain('1 error occurred: x.rego:1: rego_parse_error: unexpected eof token: expected ident');
  });
});
