/** Turns a parsed module's rules into compiled rules: kinds, resolved bodies and safety order. */
import type { Module, Rule, Term } from '../syntax/ast.ts';
import type { CClause, CRule, CTerm, RuleKind } from './ir.ts';
import type { Resolver, Scope } from './resolve.ts';
import { orderBody, orderClosuresOfTerm } from './safety.ts';
import type { SafetyContext } from './safety.ts';
import { inputVars, patternVars } from './vars.ts';
import { checkPatterns } from './check-patterns.ts';
import type { AnnotationSet } from './metadata.ts';

/** Static prefix (strings) and dynamic suffix of a rule head. */
export function splitHead(rule: Rule): { prefix: string[]; suffix: Term[] } {
  const first = rule.head[0];
  const prefix = [first.t === 'var' ? first.name : ''];
  let i = 1;
  for (; i < rule.head.length; i++) {
    const t = rule.head[i];
    if (t.t === 'scalar' && typeof t.value === 'string') prefix.push(t.value);
    else break;
  }
  return { prefix, suffix: rule.head.slice(i) };
}

export interface RuleShape {
  kind: RuleKind;
  prefix: string[];
  suffix: Term[];
  elem?: Term;
}

export function ruleShape(rule: Rule, mod: Module): RuleShape {
  if (rule.args) return { kind: 'func', prefix: splitHead(rule).prefix, suffix: [] };
  if (rule.contains) {
    const { prefix, suffix } = splitHead(rule);
    return { kind: 'set', prefix, suffix, elem: rule.contains };
  }
  if (mod.version === 'v0' && !rule.value && !rule.isDefault && rule.head.length === 2) {
    const h = rule.head[0];
    return { kind: 'set', prefix: [h.t === 'var' ? h.name : ''], suffix: [], elem: rule.head[1] };
  }
  const { prefix, suffix } = splitHead(rule);
  return { kind: suffix.length > 0 ? 'object' : 'complete', prefix, suffix };
}

const TRUE: Term = { t: 'scalar', value: true, loc: { file: '', line: 0, col: 0 } };

export function compileRule(rule: Rule, mod: Module, res: Resolver, safety: SafetyContext, annotations?: AnnotationSet): CRule {
  const shape = ruleShape(rule, mod);
  const path = [...mod.pkg, ...shape.prefix];
  const ref = 'data.' + path.join('.');
  if (rule.isDefault) checkDefaultValue(rule, res);
  const clauses: CClause[] = [];
  let keys: CTerm[] = [];
  let elem: CTerm | undefined;
  const bodies = [{ body: rule.body, value: rule.value, loc: rule.loc }, ...rule.elses.map((e) => ({ body: e.body, value: e.value, loc: e.loc }))];
  bodies.forEach((b, idx) => {
    // An `else` clause is a rule of its own in OPA, without the rule's METADATA blocks.
    res.metadata = annotations ? { set: annotations, rule, mod, own: idx === 0 } : undefined;
    let args: CTerm[] | undefined;
    const { exprs, scope } = res.resolveBody(b.body, undefined, (s: Scope) => {
      if (rule.args) args = rule.args.map((a) => (a.t === 'call' ? { t: 'val', v: null } : res.resolvePattern(a, s)));
    });
    // An argument that is a call (a template string, `f(x + 1)`) is a fresh variable compared in the
    // body, so that it is evaluated once the body has bound its variables (OPA's rewriteFuncArgs);
    // it is resolved after the body, so that the body's variables are in scope for its closures.
    if (args && rule.args)
      args = args.map((a, i) => {
        const written = rule.args![i];
        if (written.t !== 'call') return a;
        const call = res.resolveTerm(written, scope);
        const v: CTerm = { t: 'var', name: res.fresh('__arg', scope), orig: '__arg', loc: written.loc };
        exprs.push({ loc: written.loc, negated: false, withs: [], e: { k: 'unify', left: v, right: call } });
        return v;
      });
    const bound0 = new Set<string>();
    if (args) for (const a of args) patternVars(a, bound0);
    checkPatterns(exprs, res.problems);
    const ordered = orderBody(exprs, bound0, safety);
    const headTerms: CTerm[] = [];
    const value = res.resolveTerm(b.value ?? TRUE, scope);
    headTerms.push(value);
    if (idx === 0) {
      keys = shape.suffix.map((t) => res.resolveTerm(t, scope));
      headTerms.push(...keys);
      if (shape.elem) {
        elem = res.resolveTerm(shape.elem, scope);
        headTerms.push(elem);
      }
    }
    for (const t of headTerms) {
      orderClosuresOfTerm(t, ordered.bound, safety);
      const need = new Set<string>();
      inputVars(t, need);
      for (const n of need) if (!ordered.bound.has(n)) res.error(rule.loc, 'rego_unsafe_var_error', `var ${safety.origOf(n)} is unsafe`);
    }
    clauses.push({ ...(args ? { args } : {}), value, body: ordered.body, loc: b.loc });
  });
  res.metadata = undefined;
  const constant =
    clauses.every((c) => c.value.t === 'val') && keys.every((k) => k.t === 'val') && (elem === undefined || elem.t === 'val');
  const name = shape.prefix.join('.');
  return { kind: shape.kind, path, keys, ...(elem ? { elem } : {}), clauses, isDefault: rule.isDefault, constant, loc: rule.loc, pkg: mod.pkg, ref, name };
}

function checkDefaultValue(rule: Rule, res: Resolver): void {
  const bad = (t: Term): string | undefined => {
    switch (t.t) {
      case 'scalar':
        return undefined;
      case 'var':
        return 'var';
      case 'ref':
        return 'ref';
      case 'call':
        return 'call';
      case 'array':
      case 'set':
        return t.items.map(bad).find((x) => x);
      case 'object':
        return t.entries.map(([k, v]) => bad(k) ?? bad(v)).find((x) => x);
      default:
        return undefined;
    }
  };
  if (rule.value) {
    const b = bad(rule.value);
    if (b) res.error(rule.value.loc, 'rego_type_error', `invalid \`${b}\` in default value: default rule value must be a constant`);
  }
  if (rule.elses.length > 0) res.error(rule.loc, 'rego_parse_error', 'default rules cannot have else clauses');
}
