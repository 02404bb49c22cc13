/** strings.render_template: Go text/template over JSON data (OPA topdown/template.go). */
import { describe, expect, it } from 'vitest';
import { compile } from '../../../../src/policy/rego/index.ts';

function render(template: string, vars: unknown): unknown {
  const r = compile({ modules: [] }).queryFull('x := strings.render_template(input.t, input.v)', { input: { t: template, v: vars }, strictBuiltinErrors: true });
  return r.solutions[0]?.bindings.x;
}

describe('strings.render_template', () => {
  it('fields, ranges with index and else, conditionals, trim markers', () => {
    const t = '{{- range $i, $r := .repos -}}{{if $i}}, {{end}}{{$r.name}}{{if $r.paused}} (paused){{end}}{{else}}none{{end}}';
    expect(render(t, { repos: [{ name: 'api', paused: false }, { name: 'web', paused: true }] })).toBe('api, web (paused)');
    expect(render(t, { repos: [] })).toBe('none');
    expect(render('{{if eq .tier "gold"}}G{{else if gt .n 2.0}}many{{else}}few{{end}}', { tier: 'x', n: 3 })).toBe('many');
  });

  it('values print as Go prints the JSON values (numbers are float64, maps sorted)', () => {
    expect(render('{{.n}} {{.f}} {{.l}} {{.m}} {{len .l}}', { n: 2023, f: 1.5, l: ['a', 'b'], m: { b: 1, a: true } })).toBe('2023 1.5 [a b] map[a:true b:1] 2');
    expect(render('{{printf "%s=%v" .k .v}} {{.missing}}', { k: 'a', v: 1 })).toBe('a=1 <undefined>');
    expect(render('{{with $x := .a}}{{$x}}{{end}}{{index .l 1}}', { a: 'A', l: ['x', 'y'] })).toBe('Ay');
  });

  it('a loop is charged to the evaluation budget', () => {
    const r = () => compile({ modules: [] }).queryFull('x := strings.render_template("{{range 1000000000}}x{{end}}", {})', { maxSteps: 10_000 });
    expect(r).toThrow('budget_exceeded');
  });

  it('template errors are builtin errors', () => {
    expect(() => render('{{.a', {})).toThrow('strings.render_template: template: unclosed action');
    expect(() => render('{{nope .a}}', {})).toThrow('function "nope" not defined');
  });
});
