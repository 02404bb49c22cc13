/**
 * OPA's compile-time type checker (ast/check.go), on the compiled program: the types of rules and
 * local variables are inferred from literals, builtin results and rule values; then
 *   - builtin operands that can never have the declared type (`count(42)`, `"a" + 1`,
 *     `concat(",", [1])`) are `rego_type_error: NAME: invalid argument(s)` with have/want lines;
 *   - refs into a rule whose value is a constant array or object (`arr[5]`, `obj.missing`) and refs
 *     to functions as values (`p := f`) are `rego_type_error: undefined ref: …`.
 * (Arity of user functions and rules called as functions are checked where calls are resolved,
 * compile/resolve.ts.) The checker only reports what cannot succeed: an operand of unknown type
 * (input, base data, a partial rule) is `any` and always passes, so no valid policy is rejected.
 */
import { problem } from '../errors.ts';
import type { Loc, RegoProblem } from '../errors.ts';
import type { CExpr, CRule, CTerm } from '../compile/ir.ts';
import type { RuleTree, TreeNode } from '../compile/rule-tree.ts';
import type { BuiltinRegistry } from '../builtin-types.ts';
import { isNum } from '../value.ts';
import type { Value } from '../value.ts';
import { ANY, T_NUMBER, T_STRING, elemOf, keyText, meets, show, typeOfValue, union } from './types.ts';
import type { Type } from './types.ts';
import { signatureOf } from './signatures.ts';

type Env = Map<string, Type>;

export function typeCheck(tree: RuleTree, rules: CRule[], builtins: BuiltinRegistry, problems: RegoProblem[]): void {
  const c = new Checker(tree, builtins);
  for (const r of rules) c.checkRule(r);
  problems.push(...c.problems);
}

/** Type-checks a compiled query body against the program's rules. */
export function typeCheckQuery(tree: RuleTree, builtins: BuiltinRegistry, body: CExpr[], problems: RegoProblem[]): void {
  const c = new Checker(tree, builtins, false);
  c.checkBody(body, new Map());
  problems.push(...c.problems);
}

class Checker {
  readonly problems: RegoProblem[] = [];
  private readonly ruleTypes = new Map<number, Type>();
  private readonly inProgress = new Set<number>();
  /** Errors are reported once per location and message (a rule's body is also walked to type it). */
  private readonly seen = new Set<string>();

  constructor(
    private readonly tree: RuleTree,
    private readonly builtins: BuiltinRegistry,
    /** Modules: `==` is a unification (OPA's rewriteEquals); queries keep it a call. */
    private readonly equalsAsUnify = true,
  ) {}

  private error(loc: Loc, msg: string): void {
    const k = `${loc.file}:${loc.line}:${loc.col}:${msg}`;
    if (this.seen.has(k)) return;
    this.seen.add(k);
    this.problems.push(problem(loc, 'rego_type_error', msg));
  }

  checkRule(r: CRule): void {
    for (const cl of r.clauses) {
      const env: Env = new Map();
      if (cl.args) for (const a of cl.args) this.typeOf(a, env);
      this.checkBody(cl.body, env);
      this.typeOf(cl.value, env);
    }
    for (const k of r.keys) this.typeOf(k, new Map());
  }

  checkBody(body: CExpr[], env: Env): void {
    for (const e of body) this.checkExpr(e, env);
  }

  private checkExpr(e: CExpr, env: Env): void {
    for (const w of e.withs) this.typeOf(w.value, env);
    const b = e.e;
    switch (b.k) {
      case 'term':
        if (b.term.t === 'call') {
          this.callType(b.term, env, false);
          // In modules OPA rewrites `a == b` to `a = b` (rewriteEquals), so it is checked as a unification.
          if (this.equalsAsUnify && b.term.target.k === 'builtin' && b.term.target.name === 'equal' && b.term.args.length === 2)
            this.checkMatch(e.loc, this.typeOf(b.term.args[0], env), this.typeOf(b.term.args[1], env));
        } else this.typeOf(b.term, env);
        return;
      case 'unify': {
        const rt = b.right.t === 'call' && b.callOutput ? this.callType(b.right, env, true) : this.typeOf(b.right, env);
        if (b.left.t === 'var' && !env.has(b.left.name)) env.set(b.left.name, rt);
        else if (!b.callOutput) this.checkMatch(e.loc, this.typeOf(b.left, env), rt);
        else this.typeOf(b.left, env);
        if (b.right.t === 'var' && !env.has(b.right.name) && b.left.t !== 'var') env.set(b.right.name, this.typeOf(b.left, env));
        return;
      }
      case 'somein': {
        const ct = this.typeOf(b.coll, env);
        // OPA rewrites `some v in xs` to a ref `xs[k]`: iterating a scalar is the ref error below.
        if (isScalarType(ct)) {
          const text = `${termText(b.coll)}[${termText(b.key ?? b.value)}]`;
          this.error(e.loc, `undefined ref: ${text}\n\t${text}\n\thave: ${show(ct)}`);
        }
        if (b.value.t === 'var' && !env.has(b.value.name)) env.set(b.value.name, elemOf(ct));
        if (b.key && b.key.t === 'var' && !env.has(b.key.name)) env.set(b.key.name, ANY);
        return;
      }
      case 'every': {
        const ct = this.typeOf(b.coll, env);
        const inner = new Map(env);
        if (b.value.t === 'var') inner.set(b.value.name, elemOf(ct));
        if (b.key && b.key.t === 'var') inner.set(b.key.name, ANY);
        this.checkBody(b.body, inner);
        return;
      }
      default:
        return;
    }
  }

  /** Two sides of a unification whose types can never meet: OPA's `match error`. */
  private checkMatch(loc: Loc, l: Type, r: Type): void {
    if (l.k === 'any' && !l.of) return;
    if (r.k === 'any' && !r.of) return;
    if (meets(l, r) || meets(r, l)) return;
    this.error(loc, `match error\n\tleft  : ${show(l)}\n\tright : ${show(r)}`);
  }

  /** The type of a term; checks the calls and refs inside it. */
  typeOf(t: CTerm, env: Env): Type {
    switch (t.t) {
      case 'val':
        return typeOfValue(t.v);
      case 'var':
        return env.get(t.name) ?? ANY;
      case 'array':
        return { k: 'array', items: t.items.map((x) => this.typeOf(x, env)) };
      case 'set': {
        const ts = t.items.map((x) => this.typeOf(x, env));
        return { k: 'set', of: ts.length ? union(ts) : ANY };
      }
      case 'object': {
        const props: Array<[string, Type]> = [];
        let dynamic = false;
        for (const [k, v] of t.entries) {
          const vt = this.typeOf(v, env);
          this.typeOf(k, env);
          if (k.t === 'val' && typeof k.v === 'string') props.push([k.v, vt]);
          else dynamic = true;
        }
        return dynamic ? { k: 'object', dyn: [ANY, ANY] } : { k: 'object', props };
      }
      case 'compr': {
        const inner = new Map(env);
        this.checkBody(t.body, inner);
        const et = this.typeOf(t.term, inner);
        if (t.key) this.typeOf(t.key, inner);
        if (t.kind === 'array') return { k: 'array', dyn: et };
        if (t.kind === 'set') return { k: 'set', of: et };
        return { k: 'object', dyn: [ANY, ANY] };
      }
      case 'call':
        return this.callType(t, env, true);
      case 'ref':
        return this.refType(t, env);
    }
  }

  /** Checks a builtin call's operands against its signature; returns its result type. */
  private callType(t: Extract<CTerm, { t: 'call' }>, env: Env, withOutput: boolean): Type {
    const have = t.args.map((a) => this.typeOf(a, env));
    if (t.target.k !== 'builtin') return ANY;
    const def = this.builtins.get(t.target.name);
    const sig = signatureOf(t.target.name, (def as { types?: string } | undefined)?.types);
    if (!sig) return ANY;
    if (sig.args.length === have.length && have.some((h, i) => !meets(h, sig.args[i].type))) {
      const haveText = [...have.map(show), ...(withOutput ? ['???'] : [])].join(', ');
      const wantText = [...sig.args, sig.result].map((a) => (a.name ? `${a.name}: ${show(a.type)}` : show(a.type))).join(', ');
      this.error(t.loc, `${t.name}: invalid argument(s)\n\thave: (${haveText})\n\twant: (${wantText})`);
    }
    return sig.result.type;
  }

  private refType(t: Extract<CTerm, { t: 'ref' }>, env: Env): Type {
    for (const p of t.path) this.typeOf(p, env);
    let cur: Type;
    let i = 0;
    let text: string;
    if (t.head.k === 'term') {
      // Locals and composite heads: index as far as the type is known, never an error here.
      cur = this.typeOf(t.head.term, env);
      text = termText(t.head.term);
      for (const p of t.path) {
        // OPA's checkRefLeaf: a value whose type has no keys (a scalar) cannot be indexed.
        if (isScalarType(cur)) return this.scalarRef(t, text, p, cur);
        this.bindKey(p, cur, env);
        text += p.t === 'val' ? refSuffix(p.v) : `[${termText(p)}]`;
        cur = indexType(cur, p.t === 'val' ? p.v : undefined)?.type ?? ANY;
      }
      return cur;
    }
    if (t.head.k === 'input') return ANY;
    // data: follow the rule tree along constant string keys.
    let node: TreeNode | undefined = this.tree.root;
    text = 'data';
    for (; i < t.path.length; i++) {
      const p = t.path[i];
      if (p.t !== 'val' || typeof p.v !== 'string') return ANY;
      const next: TreeNode | undefined = node.children.get(p.v);
      if (!next) return ANY;
      node = next;
      text += refSuffix(p.v);
      if (node.funcs.some((f) => (f.clauses[0]?.args?.length ?? 0) > 0)) {
        this.error(t.loc, `undefined ref: ${text}\n\t${text}\n\thave: function`);
        return ANY;
      }
      if (node.children.size === 0 || node.complete.length || node.objects.length || node.sets.length) {
        i++;
        break;
      }
    }
    cur = this.nodeType(node);
    for (; i < t.path.length; i++) {
      const p = t.path[i];
      const key = p.t === 'val' ? p.v : undefined;
      if (isScalarType(cur)) return this.scalarRef(t, text, p, cur);
      this.bindKey(p, cur, env);
      const next = indexType(cur, key);
      if (next === undefined) {
        const full = text + refSuffix(key!);
        const want = cur.k === 'array' ? 'want (type): number' : `want (one of): [${(cur.k === 'object' ? cur.props ?? [] : []).map(([k]) => keyText(k)).join(' ')}]`;
        this.error(t.loc, `undefined ref: ${full}\n\t${full}\n\thave: ${keyText(key!)}\n\t${want}`);
        return ANY;
      }
      if (key !== undefined) text += refSuffix(key);
      cur = next.type;
    }
    return cur;
  }

  /**
   * A variable that first appears as a key of a ref iterates the collection's keys and gets their type
   * (OPA's checker types it from the ref: an array's index is a number, a set's key its element).
   */
  private bindKey(p: CTerm, coll: Type, env: Env): void {
    if (p.t !== 'var' || env.has(p.name)) return;
    const k = keyType(coll);
    if (k.k !== 'any' || k.of) env.set(p.name, k);
  }

  /** `undefined ref` for indexing a scalar: the ref up to and including the offending key, and the scalar's type. */
  private scalarRef(t: Extract<CTerm, { t: 'ref' }>, text: string, p: CTerm, have: Type): Type {
    const full = text + (p.t === 'val' ? refSuffix(p.v) : `[${termText(p)}]`);
    this.error(t.loc, `undefined ref: ${full}\n\t${full}\n\thave: ${show(have)}`);
    return ANY;
  }

  /** Partial object rules `p[k] := v` (one key each): `object[K: V]` from their keys' and values' types (OPA's checker). */
  private objectRulesType(node: TreeNode): Type {
    const hit = this.ruleTypes.get(node.id);
    if (hit) return hit;
    if (this.inProgress.has(node.id)) return ANY;
    this.inProgress.add(node.id);
    const ks: Type[] = [];
    const vs: Type[] = [];
    for (const r of node.objects) {
      for (const cl of r.clauses) {
        const env: Env = new Map();
        this.checkBody(cl.body, env);
        ks.push(this.typeOf(r.keys[0], env));
        vs.push(this.typeOf(cl.value, env));
      }
    }
    this.inProgress.delete(node.id);
    const t: Type = { k: 'object', dyn: [union(ks), union(vs)] };
    this.ruleTypes.set(node.id, t);
    return t;
  }

  /** The type of the document at a rule tree node: complete rules' values (defaults included). */
  private nodeType(node: TreeNode): Type {
    const onlyObjects = node.objects.length > 0 && !node.children.size && !node.sets.length && !node.funcs.length && !node.complete.length;
    if (onlyObjects && !node.defaults.length && node.objects.every((r) => r.keys.length === 1)) return this.objectRulesType(node);
    if (node.children.size || node.objects.length || node.sets.length || node.funcs.length || !node.complete.length) {
      if (node.sets.length && !node.objects.length && !node.children.size) return { k: 'set', of: ANY };
      return ANY;
    }
    const hit = this.ruleTypes.get(node.id);
    if (hit) return hit;
    if (this.inProgress.has(node.id)) return ANY;
    this.inProgress.add(node.id);
    const ts: Type[] = [];
    for (const r of [...node.complete, ...node.defaults.filter((d) => d.keys.length === 0)]) {
      for (const cl of r.clauses) {
        const env: Env = new Map();
        this.checkBody(cl.body, env);
        ts.push(this.typeOf(cl.value, env));
      }
    }
    this.inProgress.delete(node.id);
    const t = ts.length ? union(ts) : ANY;
    this.ruleTypes.set(node.id, t);
    return t;
  }
}

/** The type of a collection's keys: an array's are numbers, a set's its elements, an object's its keys. */
function keyType(t: Type): Type {
  if (t.k === 'array') return T_NUMBER;
  if (t.k === 'set') return t.of;
  if (t.k === 'object') return union([...(t.props && t.props.length ? [T_STRING] : []), ...(t.dyn ? [t.dyn[0]] : [])]);
  return ANY;
}

/** A type with no keys: a scalar, or a union of scalars only. */
function isScalarType(t: Type): boolean {
  if (t.k === 'any') return !!t.of && t.of.every(isScalarType);
  return t.k === 'null' || t.k === 'boolean' || t.k === 'number' || t.k === 'string';
}

/** A term as written in a ref's text (variables by their names as written). */
function termText(t: CTerm): string {
  switch (t.t) {
    case 'var':
      return t.orig;
    case 'val':
      return typeof t.v === 'string' ? JSON.stringify(t.v) : keyText(t.v);
    case 'ref': {
      let s = t.head.k === 'term' ? termText(t.head.term) : t.head.k;
      for (const p of t.path) s += p.t === 'val' ? refSuffix(p.v) : `[${termText(p)}]`;
      return s;
    }
    case 'call':
      return `${t.name}(${t.args.map(termText).join(', ')})`;
    default:
      return '…';
  }
}

function refSuffix(k: Value): string {
  if (typeof k === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) return '.' + k;
  return `[${keyText(k)}]`;
}

/**
 * The type at `t[key]`: `undefined` when the key can never be there (a constant array's index out
 * of range, a key missing from an object without a dynamic part); `{type: any}` when unknown.
 */
function indexType(t: Type, key: Value | undefined): { type: Type } | undefined {
  if (t.k === 'array') {
    if (key === undefined) return { type: elemOf(t) };
    if (!isNum(key) || !key.isInteger()) return t.dyn ? { type: t.dyn } : undefined;
    const i = key.toNumber();
    const items = t.items ?? [];
    if (i >= 0 && i < items.length) return { type: items[i] };
    return t.dyn ? { type: t.dyn } : undefined;
  }
  if (t.k === 'object') {
    if (key === undefined) return { type: elemOf(t) };
    const p = typeof key === 'string' ? t.props?.find(([k]) => k === key) : undefined;
    if (p) return { type: p[1] };
    return t.dyn ? { type: t.dyn[1] } : undefined;
  }
  if (t.k === 'set') return { type: t.of };
  return { type: ANY };
}
