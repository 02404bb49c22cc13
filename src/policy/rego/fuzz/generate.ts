/**
 * Random well-formed Rego policies and inputs for the differential fuzzer (run.ts). Policies are
 * built from typed pieces (a term of the wanted type, a literal that may bind a local) so that most
 * of them compile in OPA too; what they exercise is what governance policies do: complete rules
 * with defaults, partial sets and objects, functions, `some … in`, `every`, `not`, `with`,
 * comprehensions and the everyday builtins. Inputs are random documents over the same keys, some of
 * them missing or of another type, so that undefined operands and builtin errors happen too.
 *
 * The shape is kept structured (rules → literals) so that shrink.ts can delete pieces.
 */

export interface FuzzRule {
  /** Head as written, without body: `r0 := x`, `r1 contains x`, `r2[k] := v`, `f0(a) := a`. */
  head: string;
  /** Body literals (empty: no body). */
  body: string[];
  /** A `default` line for the rule, when it has one. */
  dflt?: string;
}

export interface FuzzCase {
  rules: FuzzRule[];
  input: unknown;
}

export const PACKAGE = 'fuzz';

export function moduleText(c: Pick<FuzzCase, 'rules'>): string {
  const lines = [`package ${PACKAGE}`, '', 'import future.keywords', ''];
  for (const r of c.rules) {
    if (r.dflt) lines.push(r.dflt);
    lines.push(r.body.length ? `${r.head} if {\n${r.body.map((l) => `  ${l}`).join('\n')}\n}` : r.head);
  }
  return lines.join('\n') + '\n';
}

/** mulberry32: small, fast, seedable. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
}

type Ty = 'num' | 'str' | 'bool' | 'arr' | 'set' | 'obj' | 'any';

const WORDS = ['admin', 'dev', 'ops', 'main', 'prod', 'a', 'b', 'web', 'api', ''];
const KEYS = ['a', 'b', 'c', 'env', 'team'];

/** A random input document: mostly the expected shape, sometimes a key missing or of another type. */
export function genInput(r: Rng): unknown {
  const scalar = (): unknown => r.pick<unknown>([r.int(10) - 2, r.pick(WORDS), r.chance(0.5), null]);
  const numOrOther = () => (r.chance(0.85) ? r.int(12) - 3 : scalar());
  const strOrOther = () => (r.chance(0.85) ? r.pick(WORDS) : scalar());
  const doc: Record<string, unknown> = {
    x: numOrOther(),
    y: numOrOther(),
    s: strOrOther(),
    flag: r.chance(0.85) ? r.chance(0.5) : scalar(),
    items: Array.from({ length: r.int(5) }, () => (r.chance(0.9) ? r.int(8) - 2 : scalar())),
    names: Array.from({ length: r.int(4) }, () => strOrOther()),
    m: Object.fromEntries(Array.from({ length: r.int(4) }, () => [r.pick(KEYS), r.chance(0.8) ? r.int(6) : strOrOther()])),
    user: { name: strOrOther(), roles: Array.from({ length: r.int(3) }, () => r.pick(WORDS)), age: numOrOther() },
  };
  for (const k of Object.keys(doc)) if (r.chance(0.08)) delete doc[k];
  return doc;
}

const lit = (x: unknown) => JSON.stringify(x);

interface Scope {
  /** Locals bound so far, by type. */
  vars: Array<{ name: string; ty: Ty }>;
  n: number;
}

export class PolicyGen {
  private readonly rules: FuzzRule[] = [];
  /** Earlier rules that later ones may reference (no recursion): name → type of its value. */
  private readonly defined: Array<{ name: string; ty: Ty; kind: 'complete' | 'set' | 'object' }> = [];
  private readonly funcs: Array<{ name: string; ty: Ty; argTy: Ty }> = [];

  constructor(private readonly r: Rng) {}

  generate(): FuzzCase {
    const n = 2 + this.r.int(5);
    for (let i = 0; i < n; i++) this.rule(i);
    return { rules: this.rules, input: genInput(this.r) };
  }

  private rule(i: number): void {
    const r = this.r;
    const kind = r.pick(['complete', 'complete', 'bool', 'set', 'object', 'func'] as const);
    const sc: Scope = { vars: [], n: 0 };
    const body = this.body(sc, 1 + r.int(3));
    if (kind === 'func') {
      const name = `f${i}`;
      const argTy = r.pick<Ty>(['num', 'str']);
      const fsc: Scope = { vars: [{ name: 'a', ty: argTy }], n: 0 };
      const fbody = this.body(fsc, r.int(3));
      const ty = r.pick<Ty>(['num', 'str', 'bool']);
      this.rules.push({ head: `${name}(a) := ${this.term(ty, fsc, 2)}`, body: fbody });
      if (r.chance(0.3)) this.rules.push({ head: `${name}(a) := ${this.term(ty, { vars: [{ name: 'a', ty: argTy }], n: 0 }, 1)}`, body: this.body({ vars: [{ name: 'a', ty: argTy }], n: 0 }, 1) });
      this.funcs.push({ name, ty, argTy });
      return;
    }
    const name = `r${i}`;
    if (kind === 'bool') {
      const rule: FuzzRule = { head: name, body: body.length ? body : ['true'] };
      if (r.chance(0.5)) rule.dflt = `default ${name} := false`;
      this.rules.push(rule);
      this.defined.push({ name, ty: 'bool', kind: 'complete' });
      return;
    }
    if (kind === 'complete') {
      const ty = r.pick<Ty>(['num', 'str', 'arr', 'obj', 'bool']);
      const rule: FuzzRule = { head: `${name} := ${this.term(ty, sc, 2)}`, body };
      if (r.chance(0.4)) rule.dflt = `default ${name} := ${this.constant(ty)}`;
      this.rules.push(rule);
      if (r.chance(0.25)) this.rules.push({ head: `${name} := ${this.term(ty, { vars: [], n: 0 }, 1)}`, body: this.body({ vars: [], n: 0 }, 1) });
      this.defined.push({ name, ty, kind: 'complete' });
      return;
    }
    if (kind === 'set') {
      const ty = r.pick<Ty>(['num', 'str']);
      this.rules.push({ head: `${name} contains ${this.term(ty, sc, 1)}`, body });
      if (r.chance(0.4)) {
        const sc2: Scope = { vars: [], n: 0 };
        const b2 = this.body(sc2, 1 + r.int(2));
        this.rules.push({ head: `${name} contains ${this.term(ty, sc2, 1)}`, body: b2 });
      }
      this.defined.push({ name, ty: 'set', kind: 'set' });
      return;
    }
    this.rules.push({ head: `${name}[${this.term('str', sc, 1)}] := ${this.term('num', sc, 1)}`, body });
    this.defined.push({ name, ty: 'obj', kind: 'object' });
  }

  private body(sc: Scope, n: number): string[] {
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(this.literal(sc));
    return out;
  }

  private fresh(sc: Scope, ty: Ty): string {
    const name = `v${sc.n++}`;
    sc.vars.push({ name, ty });
    return name;
  }

  /** One body literal; may bind a new local (added to the scope for later literals). */
  literal(sc: Scope): string {
    const r = this.r;
    switch (r.int(11)) {
      case 0:
      case 1:
        return this.condition(sc);
      case 2: {
        const ty = r.pick<Ty>(['num', 'str', 'arr', 'set', 'bool']);
        const t = this.term(ty, sc, 2);
        return `${this.fresh(sc, ty)} := ${t}`;
      }
      case 3: {
        const [coll, ty] = this.collection(sc);
        return `some ${this.fresh(sc, ty)} in ${coll}`;
      }
      case 4: {
        const [coll, ty] = this.collection(sc);
        const inner: Scope = { vars: [...sc.vars], n: sc.n + 10 };
        const v = this.fresh(inner, ty);
        // The body must use the variable (an unused `every` variable is a compile error in OPA).
        const cond = r.pick([
          () => `${v} != ${this.term(ty === 'any' ? 'num' : ty, { vars: [], n: 0 }, 0)}`,
          () => `is_${r.pick(['number', 'string'])}(${v})`,
          () => (ty === 'num' ? `${v} ${r.pick(['<', '>=', '=='])} ${this.term('num', inner, 1)}` : `${v} in ${this.collection(inner)[0]}`),
          () => (ty === 'str' ? `startswith(${v}, ${this.term('str', inner, 0)})` : `${v} != null`),
        ])();
        return `every ${v} in ${coll} { ${cond} }`;
      }
      case 5:
        return `not ${this.condition(sc)}`;
      case 6: {
        const d = this.defined.filter((x) => x.kind === 'complete' && x.ty === 'bool');
        if (d.length) return `${r.chance(0.5) ? 'not ' : ''}${r.pick(d).name} with input.${r.pick(['x', 's', 'flag', 'items'])} as ${this.term(r.pick<Ty>(['num', 'str', 'bool', 'arr']), { vars: [], n: 0 }, 1)}`;
        return this.condition(sc);
      }
      case 7: {
        const d = this.defined.filter((x) => x.kind !== 'complete');
        if (d.length) {
          const x = r.pick(d);
          return x.kind === 'set' ? `some ${this.fresh(sc, 'any')} in ${x.name}` : `${x.name}[${this.fresh(sc, 'str')}] > ${r.int(4)}`;
        }
        return this.condition(sc);
      }
      case 8:
        return `${this.fresh(sc, 'any')} := input.${r.pick(['m', 'user', 'items'])}[${lit(r.pick([...KEYS, 0, 1, 'name']))}]`;
      default:
        return this.condition(sc);
    }
  }

  private condition(sc: Scope): string {
    const r = this.r;
    switch (r.int(7)) {
      case 0:
        return `${this.term('num', sc, 2)} ${r.pick(['<', '>', '<=', '>=', '==', '!='])} ${this.term('num', sc, 2)}`;
      case 1:
        return `${this.term('str', sc, 2)} ${r.pick(['==', '!='])} ${this.term('str', sc, 1)}`;
      case 2:
        return `${r.pick(['startswith', 'endswith', 'contains'])}(${this.term('str', sc, 1)}, ${this.term('str', sc, 1)})`;
      case 3:
        return `${this.term(r.pick<Ty>(['num', 'str']), sc, 1)} in ${this.collection(sc)[0]}`;
      case 4:
        return this.term('bool', sc, 2);
      case 5:
        return `count(${this.collection(sc)[0]}) ${r.pick(['>', '==', '<'])} ${r.int(4)}`;
      default:
        return `regex.match(${lit(r.pick(['^a', 'd', '^[a-z]+$', 'p.*d']))}, ${this.term('str', sc, 1)})`;
    }
  }

  /** A collection term and the type of its elements. */
  private collection(sc: Scope): [string, Ty] {
    const r = this.r;
    const sets = this.defined.filter((d) => d.kind === 'set');
    switch (r.int(7)) {
      case 0:
        return ['input.items', 'num'];
      case 1:
        return ['input.names', 'str'];
      case 2:
        return ['input.user.roles', 'str'];
      case 3:
        return [`[${Array.from({ length: r.int(4) }, () => r.int(6)).join(', ')}]`, 'num'];
      case 4:
        return sets.length ? [r.pick(sets).name, 'any'] : ['input.m', 'any'];
      case 5:
        return ['input.m', 'any'];
      default:
        return [`{${Array.from({ length: 1 + r.int(3), }, () => lit(r.pick(WORDS))).join(', ')}}`, 'str'];
    }
  }

  /** A constant of type `ty` (default rule values must be constants). */
  private constant(ty: Ty): string {
    const r = this.r;
    if (ty === 'num') return String(r.int(10) - 2);
    if (ty === 'str') return lit(r.pick(WORDS));
    if (ty === 'bool') return r.pick(['true', 'false']);
    if (ty === 'arr') return r.pick(['[]', `[${r.int(5)}, ${lit(r.pick(WORDS))}]`]);
    if (ty === 'obj') return r.pick(['{}', `{${lit(r.pick(KEYS))}: ${r.int(5)}}`]);
    return 'null';
  }

  /** A term of (mostly) type `ty`; `depth` bounds nesting. */
  term(ty: Ty, sc: Scope, depth: number): string {
    const r = this.r;
    const local = sc.vars.filter((v) => v.ty === ty);
    if (local.length && r.chance(0.3)) return r.pick(local).name;
    const rules = this.defined.filter((d) => d.ty === ty && d.kind === 'complete');
    if (rules.length && r.chance(0.15)) return r.pick(rules).name;
    const fns = this.funcs.filter((f) => f.ty === ty);
    if (fns.length && depth > 0 && r.chance(0.15)) {
      const f = r.pick(fns);
      return `${f.name}(${this.term(f.argTy, sc, depth - 1)})`;
    }
    const d = depth - 1;
    const leaf = depth <= 0;
    switch (ty) {
      case 'num':
        if (leaf) return r.pick([String(r.int(10) - 2), 'input.x', 'input.y', 'input.user.age']);
        return r.pick([
          () => String(r.int(10) - 2),
          () => r.pick(['input.x', 'input.y', 'input.user.age']),
          () => `${this.term('num', sc, d)} ${r.pick(['+', '-', '*'])} ${this.term('num', sc, d)}`,
          () => `count(${this.collection(sc)[0]})`,
          () => `${r.pick(['sum', 'max', 'min'])}(${r.pick(['input.items', `[${r.int(5)}, ${r.int(5)}]`])})`,
          () => `object.get(input.m, ${this.term('str', sc, 0)}, ${r.int(5)})`,
          () => `to_number(${r.pick(['"3"', 'input.s', 'input.x', 'true'])})`,
          () => `abs(${this.term('num', sc, d)})`,
        ])();
      case 'str':
        if (leaf) return r.pick([lit(r.pick(WORDS)), 'input.s', 'input.user.name']);
        return r.pick([
          () => lit(r.pick(WORDS)),
          () => r.pick(['input.s', 'input.user.name', 'input.names[0]']),
          () => `${r.pick(['upper', 'lower', 'trim_space'])}(${this.term('str', sc, d)})`,
          () => `concat(${lit(r.pick([',', '-', '']))}, ${r.pick(['input.names', 'input.user.roles', `[${this.term('str', sc, d)}, ${this.term('str', sc, d)}]`])})`,
          () => `sprintf("%v-%v", [${this.term('str', sc, d)}, ${this.term('num', sc, d)}])`,
          () => `replace(${this.term('str', sc, d)}, ${lit(r.pick(WORDS))}, ${lit(r.pick(WORDS))})`,
          () => `type_name(${r.pick(['input.x', 'input.s', 'input.m', 'input.items', 'input.flag', 'input.nope'])})`,
          () => `trim(${this.term('str', sc, d)}, "a")`,
        ])();
      case 'bool':
        if (leaf) return r.pick(['true', 'false', 'input.flag']);
        return r.pick([
          () => r.pick(['true', 'false', 'input.flag']),
          () => `is_${r.pick(['number', 'string', 'array', 'object', 'boolean'])}(${r.pick(['input.x', 'input.s', 'input.items', 'input.m', 'input.flag'])})`,
          () => `${this.term('num', sc, d)} > ${this.term('num', sc, d)}`,
          () => `startswith(${this.term('str', sc, d)}, ${this.term('str', sc, 0)})`,
        ])();
      case 'arr':
        if (leaf) return r.pick(['[]', 'input.items', `[${r.int(5)}]`]);
        return r.pick([
          () => `[${Array.from({ length: r.int(3) }, () => this.term(r.pick<Ty>(['num', 'str']), sc, d)).join(', ')}]`,
          () => r.pick(['input.items', 'input.names']),
          () => `[x | some x in ${this.collection(sc)[0]}; ${r.pick(['x != 2', 'x', 'true', 'not x != "a"'])}]`,
          () => `sort(${r.pick(['input.items', 'input.names', `{${r.int(5)}, ${r.int(5)}}`])})`,
          () => `array.concat(${this.term('arr', sc, d)}, ${this.term('arr', sc, d)})`,
          () => `split(${this.term('str', sc, d)}, ${lit(r.pick(['', 'a', ',']))})`,
        ])();
      case 'set':
        if (leaf) return r.pick(['set()', `{${r.int(5)}}`]);
        return r.pick([
          () => `{x | some x in ${this.collection(sc)[0]}}`,
          () => `{${this.term('num', sc, d)}, ${this.term('num', sc, d)}}`,
          () => `object.keys(input.m)`,
          () => `${this.term('set', sc, d)} ${r.pick(['|', '&', '-'])} ${this.term('set', sc, d)}`,
        ])();
      case 'obj':
        if (leaf) return r.pick(['{}', 'input.m', `{"k": ${r.int(5)}}`]);
        return r.pick([
          () => `{${lit(r.pick(KEYS))}: ${this.term('num', sc, d)}, ${lit(r.pick(KEYS))}: ${this.term('str', sc, d)}}`,
          () => `{k: v | some k, v in input.m${r.chance(0.5) ? '; v != 1' : ''}}`,
          () => `object.union(${this.term('obj', sc, d)}, ${this.term('obj', sc, d)})`,
          () => `object.remove(input.m, [${lit(r.pick(KEYS))}])`,
          () => 'input.m',
        ])();
      default:
        return this.term(r.pick<Ty>(['num', 'str', 'bool']), sc, depth);
    }
  }
}

export function generateCase(seed: number): FuzzCase {
  return new PolicyGen(new Rng(seed)).generate();
}
