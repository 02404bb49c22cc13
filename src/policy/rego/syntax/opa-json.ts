/**
 * A parsed module as OPA's JSON AST (what `rego.parse_module` returns: OPA encodes its ast.Module with
 * encoding/json and reads the text back as a term). Shapes follow OPA's MarshalJSON methods and the
 * expectations of OPA's own marshalling tests (v1/ast/marshal_test.go): a term is
 * `{"type": T, "value": V}`, an expression `{"index": i, "terms": …}` (one term, or the operator ref
 * and operands of a call, or `{"symbols": …}` for `some`, `{"key","value","domain","body"}` for
 * `every`), with `"negated": true` and `"with": [{"target","value"}]` when present; a rule
 * `{"head", "body", "default"?, "else"?}`; locations are left out, as OPA does by default, except on
 * comments (`{"Text": base64, "Location": {"file","row","col"}}`).
 *
 * Not covered, because this parser rewrites them before an AST exists: template strings (written as
 * `internal.template_string` calls), `not { … }` bodies of `future.keywords.not` (written as
 * `[true | …] == []`), and the `:=`/`=` of an `else` value (the rule's own is reported).
 */
import { RObject, compare, num } from '../value.ts';
import type { Value } from '../value.ts';
import type { Body, Expr, Module, Rule, Term } from './ast.ts';
import type { Comment } from './lexer.ts';

const obj = (entries: Array<[string, Value | undefined]>): RObject =>
  new RObject(entries.filter((e): e is [string, Value] => e[1] !== undefined));

const term = (type: string, value: Value): RObject => obj([['type', type], ['value', value]]);

/** Writes one module; `_` variables are numbered `$0`, `$1`, … in order, as OPA's parser names them. */
export class OpaJsonWriter {
  private wildcards = 0;

  module(m: Module, comments: Comment[]): RObject {
    const pkg = obj([['path', [term('var', 'data'), ...m.pkg.map((s) => term('string', s))]]]);
    const imports = m.imports.map((i) => {
      const [root, ...rest] = i.path;
      return obj([
        ['path', term('ref', [term('var', root), ...rest.map((s) => term('string', s))])],
        ['alias', i.alias],
      ]);
    });
    const rules = m.rules.map((r) => this.rule(r, m));
    const cs = comments.map((c) =>
      obj([
        ['Text', Buffer.from(c.text, 'utf8').toString('base64')],
        ['Location', obj([['file', m.file], ['row', num(c.line)], ['col', num(c.col)]])],
      ]),
    );
    return obj([
      ['package', pkg],
      ['imports', imports.length ? imports : undefined],
      ['rules', rules.length ? rules : undefined],
      ['comments', cs.length ? cs : undefined],
    ]);
  }

  private rule(r: Rule, m: Module): RObject {
    const ref = r.head.map((t) => this.term(t));
    const v0 = m.version === 'v0';
    let name: string | undefined;
    let key: Term | undefined = r.contains;
    let refOut = ref;
    const first = r.head[0];
    const firstName = first.t === 'var' ? first.name : undefined;
    if (r.head.length === 1) name = firstName;
    else if (r.head.length === 2 && !r.args && !r.contains) {
      const k = r.head[1];
      const ground = k.t === 'scalar';
      if (v0 && !r.usedIf) {
        // OPA's back-compat: `p[x] { … }` is a multi-value rule `p`, `p[k] = v { … }` an object rule.
        name = firstName;
        key = k;
        if (!r.value) refOut = ref.slice(0, 1);
      } else {
        if (!ground) key = k;
        if (r.value) name = firstName;
      }
    } else if (r.contains && r.head.length === 1) name = firstName;
    const value = r.value ? this.term(r.value) : r.contains || (key && v0 && !r.usedIf && !r.value) ? undefined : term('boolean', true);
    const head = obj([
      ['name', name],
      ['ref', refOut],
      ['args', r.args ? r.args.map((a) => this.term(a)) : undefined],
      ['key', key ? this.term(key) : undefined],
      ['value', value],
      ['assign', r.assign ? true : undefined],
    ]);
    const body = this.body(r.body);
    let elseRule: RObject | undefined;
    for (let i = r.elses.length - 1; i >= 0; i--) {
      const e = r.elses[i];
      const eh = obj([
        ['name', name],
        ['ref', refOut],
        ['args', r.args ? r.args.map((a) => this.term(a)) : undefined],
        ['value', e.value ? this.term(e.value) : term('boolean', true)],
        ['assign', r.assign ? true : undefined],
      ]);
      elseRule = obj([
        ['head', eh],
        ['body', this.body(e.body)],
        ['else', elseRule],
      ]);
    }
    return obj([
      ['default', r.isDefault ? true : undefined],
      ['head', head],
      ['body', body],
      ['else', elseRule],
    ]);
  }

  /** A body; an empty one (a rule without a body) is OPA's generated `true`. */
  private body(b: Body): Value[] {
    if (b.length === 0) return [obj([['index', num(0)], ['terms', term('boolean', true)]])];
    return b.map((e, i) => this.expr(e, i));
  }

  private expr(e: Expr, index: number): RObject {
    let terms: Value;
    const b = e.e;
    switch (b.k) {
      case 'term':
        terms = b.term.t === 'call' ? [this.operator(b.term.fn), ...b.term.args.map((a) => this.term(a))] : this.term(b.term);
        break;
      case 'assign':
        terms = [term('ref', [term('var', 'assign')]), this.term(b.left), this.term(b.right)];
        break;
      case 'unify':
        terms = [term('ref', [term('var', 'eq')]), this.term(b.left), this.term(b.right)];
        break;
      case 'some':
        terms = obj([['symbols', b.vars.map((v) => this.term(v))]]);
        break;
      case 'somein': {
        const args = [...(b.key ? [b.key] : []), b.value, b.coll].map((t) => this.term(t));
        const op = term('ref', [term('var', 'internal'), term('string', b.key ? 'member_3' : 'member_2')]);
        terms = obj([['symbols', [term('call', [op, ...args])]]]);
        break;
      }
      case 'every':
        terms = obj([
          ['key', b.key ? this.term(b.key) : null],
          ['value', this.term(b.value)],
          ['domain', this.term(b.coll)],
          ['body', this.body(b.body)],
        ]);
        break;
    }
    return obj([
      ['index', num(index)],
      ['negated', e.negated ? true : undefined],
      ['terms', terms],
      // OPA's parser makes a bare variable target a ref (`with input as 1`: `ref [var input]`).
      ['with', e.withs.length ? e.withs.map((w) => obj([['target', w.target.t === 'var' ? term('ref', [this.term(w.target)]) : this.term(w.target)], ['value', this.term(w.value)]])) : undefined],
    ]);
  }

  /** A call's operator: always a ref (`count` is `ref [var count]`). */
  private operator(fn: Term): RObject {
    if (fn.t === 'var') return term('ref', [term('var', fn.name)]);
    return this.term(fn);
  }

  term(t: Term): RObject {
    switch (t.t) {
      case 'scalar': {
        const v = t.value;
        const type = v === null ? 'null' : typeof v === 'boolean' ? 'boolean' : typeof v === 'string' ? 'string' : 'number';
        return term(type, v);
      }
      case 'var':
        return term('var', t.name === '_' ? `$${this.wildcards++}` : t.name);
      case 'ref':
        return term('ref', [this.term(t.head), ...t.path.map((p) => this.term(p))]);
      case 'array':
        return term('array', t.items.map((x) => this.term(x)));
      case 'set':
        return term('set', sortedIfScalar(t.items, (x) => x, (x) => this.term(x)));
      case 'object': {
        const pairs = sortedIfScalar(t.entries, (e) => e[0], (e) => [this.term(e[0]), this.term(e[1])] as Value);
        return term('object', pairs);
      }
      case 'arraycompr':
        return term('arraycomprehension', obj([['term', this.term(t.term)], ['body', this.body(t.body)]]));
      case 'setcompr':
        return term('setcomprehension', obj([['term', this.term(t.term)], ['body', this.body(t.body)]]));
      case 'objectcompr':
        return term('objectcomprehension', obj([['key', this.term(t.key)], ['value', this.term(t.value)], ['body', this.body(t.body)]]));
      case 'call':
        return term('call', [this.operator(t.fn), ...t.args.map((a) => this.term(a))]);
    }
  }
}

/** OPA keeps sets and objects sorted by key; constant keys are sorted here, others stay as written. */
function sortedIfScalar<T>(items: T[], keyOf: (x: T) => Term, write: (x: T) => Value): Value[] {
  const scalar = items.every((x) => keyOf(x).t === 'scalar');
  const ordered = scalar ? [...items].sort((a, b) => compare((keyOf(a) as { value: Value }).value, (keyOf(b) as { value: Value }).value)) : items;
  return ordered.map(write);
}
