/**
 * The evaluator: backtracking over bodies in continuation-passing style. A continuation returns
 * true to stop the search (existence checks, constant rules). Variables live in one Map per rule
 * evaluation; each binding is undone when its continuation returns.
 */
import type { BuiltinContext, BuiltinRegistry } from '../builtin-types.ts';
import type { Program } from '../compile/compile-program.ts';
import type { CallTarget, CCompr, CExpr, CRef, CTerm } from '../compile/ir.ts';
import { RegoEvalError } from '../errors.ts';
import type { Loc } from '../errors.ts';
import { RObject, RSet, equals } from '../value.ts';
import type { Value } from '../value.ts';
import { evalCall } from './calls.ts';
import { isCollection, iterate, lookup, lookupBase } from './values.ts';
import { evalDataRef } from './virtual.ts';
import { evalWith } from './with.ts';

export type K = () => boolean;

/** Steps between two reads of the clock. */
const CLOCK_EVERY = 32;
/** A check interval longer than this means steps are expensive: the clock is then read every step. */
const SLOW_INTERVAL_MS = 0.5;
export type KV = (v: Value) => boolean;

export interface TraceEvent {
  rule: string;
  file: string;
  line: number;
  col: number;
  value: Value;
}

export interface FnOverride {
  value?: Value;
  target?: CallTarget;
}

export interface Frame {
  input: Value | undefined;
  dataOverrides: Array<{ path: string[]; value: Value }>;
  fnOverrides: Map<string, FnOverride>;
  /** Rule node id → value (null entry means undefined). */
  cache: Map<number, { v: Value | undefined }>;
  fnCache: Map<string, { v: Value | undefined }>;
}

export interface EvaluatorOptions {
  input?: Value;
  nowNs: bigint;
  maxSteps: number;
  timeoutMs: number;
  strictBuiltinErrors: boolean;
  print: (line: string) => void;
  trace: boolean;
}

export class Evaluator {
  env = new Map<string, Value>();
  frame: Frame;
  readonly builtins: BuiltinRegistry;
  readonly bctx: BuiltinContext;
  readonly traceEvents: TraceEvent[] = [];
  private steps = 0;
  /** Step count at which the budget (steps and clock) is checked next. */
  private nextCheck = 0;
  private clockEvery = CLOCK_EVERY;
  private lastClock = performance.now();
  private readonly deadline: number;
  /** Override keys currently replaced by their originals (while evaluating a replacement). */
  readonly suppressed = new Set<string>();
  /** Captured query expression values by index. */
  captures: Array<Value | undefined> = [];
  allowFalseCapture = false;

  constructor(
    readonly program: Program,
    readonly opts: EvaluatorOptions,
  ) {
    this.builtins = program.builtins;
    this.frame = { input: opts.input, dataOverrides: [], fnOverrides: new Map(), cache: new Map(), fnCache: new Map() };
    this.bctx = { nowNs: opts.nowNs, print: opts.print, cache: new Map(), charge: (units) => this.charge(units) };
    this.deadline = performance.now() + opts.timeoutMs;
  }

  /** Steps used so far (body steps plus work charged by builtins and comparisons). */
  get stepsUsed(): number {
    return this.steps;
  }

  /** One evaluation step; every body step anywhere (rules, functions, comprehensions, `every`, `with`) comes here. */
  tick(): void {
    if (++this.steps >= this.nextCheck) this.checkBudget();
  }

  /** Charges `units` steps of work at once (builtins over large values, large unifications). */
  charge(units: number): void {
    if (units <= 0) return;
    this.steps += units;
    if (this.steps >= this.nextCheck) this.checkBudget();
  }

  private checkBudget(): void {
    if (this.steps > this.opts.maxSteps) throw new RegoEvalError('budget_exceeded', `evaluation exceeded the budget of ${this.opts.maxSteps} steps`);
    const now = performance.now();
    if (now > this.deadline) throw new RegoEvalError('budget_exceeded', `evaluation exceeded the time limit of ${this.opts.timeoutMs} ms`);
    // The clock is read every CLOCK_EVERY steps (a step costs ~1 µs); when steps turn out to be
    // expensive (large values compared or copied), after every step until they are cheap again.
    this.clockEvery = now - this.lastClock > SLOW_INTERVAL_MS ? 1 : Math.min(CLOCK_EVERY, this.clockEvery * 2);
    this.lastClock = now;
    this.nextCheck = Math.min(this.steps + this.clockEvery, this.opts.maxSteps + 1);
  }

  /** Runs `f` with a fresh variable environment. */
  withEnv<T>(f: () => T): T {
    const saved = this.env;
    this.env = new Map();
    try {
      return f();
    } finally {
      this.env = saved;
    }
  }

  evalBody(body: CExpr[], i: number, k: K): boolean {
    this.tick();
    if (i === body.length) return k();
    return this.evalExpr(body[i], () => this.evalBody(body, i + 1, k));
  }

  /** Whether the body has at least one solution. */
  exists(body: CExpr[]): boolean {
    return this.evalBody(body, 0, () => true);
  }

  evalExpr(e: CExpr, k: K): boolean {
    if (e.withs.length) return evalWith(this, e, 0, [], k);
    return this.evalExprCore(e, k);
  }

  evalExprCore(e: CExpr, k: K): boolean {
    if (e.negated) {
      if (this.evalPositive(e, () => true)) return false;
      return k();
    }
    return this.evalPositive(e, k);
  }

  private evalPositive(e: CExpr, k: K): boolean {
    const b = e.e;
    switch (b.k) {
      case 'true':
        return k();
      case 'term':
        if (e.capture !== undefined) {
          const idx = e.capture;
          return this.evalTerm(b.term, (v) => {
            if (v === false && !this.allowFalseCapture) return false;
            this.captures[idx] = v;
            return k();
          });
        }
        return this.evalTerm(b.term, (v) => v !== false && k());
      case 'unify':
        return this.unifyTerms(b.left, b.right, k);
      case 'somein':
        return this.evalTerm(b.coll, (c) =>
          iterate(c, (key, val) => (b.key ? this.unifyValue(b.key, key, () => this.unifyValue(b.value, val, k)) : this.unifyValue(b.value, val, k))),
        );
      case 'every':
        return this.evalTerm(b.coll, (c) => {
          // A domain that is not a collection has no members: `every` holds vacuously (OPA's evalEvery
          // iterates `domain[key]`, which is undefined for a string or a number).
          if (!isCollection(c)) return k();
          const failed = iterate(c, (key, val) => {
            const ok = b.key
              ? this.unifyValue(b.key, key, () => this.unifyValue(b.value, val, () => this.exists(b.body)))
              : this.unifyValue(b.value, val, () => this.exists(b.body));
            return !ok;
          });
          return failed ? false : k();
        });
    }
  }

  evalTerm(t: CTerm, k: KV): boolean {
    switch (t.t) {
      case 'val':
        return k(t.v);
      case 'var': {
        const v = this.env.get(t.name);
        if (v === undefined) throw new RegoEvalError('eval_internal_error', `var ${t.orig} is unbound`, t.loc);
        return k(v);
      }
      case 'ref':
        return this.evalRef(t, k);
      case 'array':
        return this.evalSeq(t.items, 0, new Array<Value>(t.items.length), (vs) => k(vs.slice()));
      case 'set':
        return this.evalSeq(t.items, 0, new Array<Value>(t.items.length), (vs) => k(new RSet(vs)));
      case 'object': {
        const flat = t.entries.flat();
        return this.evalSeq(flat, 0, new Array<Value>(flat.length), (vs) => {
          const o = new RObject();
          for (let i = 0; i < vs.length; i += 2) o.set(vs[i], vs[i + 1]);
          return k(o);
        });
      }
      case 'compr':
        return k(this.evalCompr(t));
      case 'call':
        return evalCall(this, t, k);
    }
  }

  evalSeq(items: CTerm[], i: number, acc: Value[], k: (vs: Value[]) => boolean): boolean {
    if (i === items.length) return k(acc);
    return this.evalTerm(items[i], (v) => {
      acc[i] = v;
      return this.evalSeq(items, i + 1, acc, k);
    });
  }

  private evalCompr(t: CCompr): Value {
    if (t.kind === 'array') {
      const out: Value[] = [];
      this.evalBody(t.body, 0, () => this.evalTerm(t.term, (v) => (out.push(v), false)));
      return out;
    }
    if (t.kind === 'set') {
      const out = new RSet();
      this.evalBody(t.body, 0, () => this.evalTerm(t.term, (v) => (out.add(v), false)));
      return out;
    }
    const out = new RObject();
    this.evalBody(t.body, 0, () =>
      this.evalTerm(t.key!, (kv) =>
        this.evalTerm(t.term, (v) => {
          const prev = out.get(kv);
          if (prev !== undefined && !equals(prev, v)) throw new RegoEvalError('eval_conflict_error', 'object keys must be unique', t.loc);
          out.set(kv, v);
          return false;
        }),
      ),
    );
    return out;
  }

  evalRef(t: CRef, k: KV): boolean {
    const h = t.head;
    if (h.k === 'data') return evalDataRef(this, t.path, k);
    if (h.k === 'input') {
      const input = this.frame.input;
      if (input === undefined) return false;
      return this.walk(input, t.path, 0, k);
    }
    return this.evalTerm(h.term, (v) => this.walk(v, t.path, 0, k));
  }

  /**
   * Follows `path[i…]` from a value, enumerating where operands are unbound. `base`: the value is
   * base data, where numeric keys also address objects by their text (see lookupBase).
   */
  walk(v: Value, path: CTerm[], i: number, k: KV, base = false): boolean {
    if (i === path.length) return k(v);
    const op = path[i];
    const get = base ? lookupBase : lookup;
    if (op.t === 'val') {
      const c = get(v, op.v);
      return c !== undefined && this.walk(c, path, i + 1, k, base);
    }
    if (op.t === 'var') {
      const b = this.env.get(op.name);
      if (b !== undefined) {
        const c = get(v, b);
        return c !== undefined && this.walk(c, path, i + 1, k, base);
      }
      return iterate(v, (key, c) => this.bind(op.name, key, () => this.walk(c, path, i + 1, k, base)));
    }
    if (!this.hasUnboundPatternVars(op)) return this.evalTerm(op, (key) => {
      const c = get(v, key);
      return c !== undefined && this.walk(c, path, i + 1, k, base);
    });
    return iterate(v, (key, c) => this.unifyValue(op, key, () => this.walk(c, path, i + 1, k, base)));
  }

  bind(name: string, v: Value, k: K): boolean {
    this.env.set(name, v);
    try {
      return k();
    } finally {
      this.env.delete(name);
    }
  }

  hasUnboundPatternVars(t: CTerm): boolean {
    switch (t.t) {
      case 'var':
        return !this.env.has(t.name);
      case 'array':
      case 'set':
        return t.items.some((x) => this.hasUnboundPatternVars(x));
      case 'object':
        return t.entries.some(([, x]) => this.hasUnboundPatternVars(x));
      default:
        return false;
    }
  }

  unifyTerms(a: CTerm, b: CTerm, k: K): boolean {
    if (!this.hasUnboundPatternVars(a)) return this.evalTerm(a, (va) => this.unifyValue(b, va, k));
    if (!this.hasUnboundPatternVars(b)) return this.evalTerm(b, (vb) => this.unifyValue(a, vb, k));
    if (a.t === 'array' && b.t === 'array') {
      if (a.items.length !== b.items.length) return false;
      const step = (i: number): boolean => (i === a.items.length ? k() : this.unifyTerms(a.items[i], b.items[i], () => step(i + 1)));
      return step(0);
    }
    if (a.t === 'object' && b.t === 'object') {
      if (a.entries.length !== b.entries.length) return false;
      const step = (i: number): boolean => {
        if (i === a.entries.length) return k();
        const [ka, va] = a.entries[i];
        return this.evalTerm(ka, (key) => {
          const match = b.entries.find(([kb]) => kb.t === 'val' && equals(kb.v, key));
          return match !== undefined && this.unifyTerms(va, match[1], () => step(i + 1));
        });
      };
      return step(0);
    }
    throw new RegoEvalError('eval_internal_error', 'cannot unify two unbound terms');
  }

  /** Matches a term (a pattern whose unbound vars get bound) against a value. */
  unifyValue(t: CTerm, v: Value, k: K): boolean {
    switch (t.t) {
      case 'val':
        return equals(t.v, v) && k();
      case 'var': {
        const cur = this.env.get(t.name);
        if (cur !== undefined) return equals(cur, v) && k();
        return this.bind(t.name, v, k);
      }
      case 'array': {
        if (!Array.isArray(v) || v.length !== t.items.length) return false;
        const step = (i: number): boolean => (i === t.items.length ? k() : this.unifyValue(t.items[i], v[i], () => step(i + 1)));
        return step(0);
      }
      case 'object': {
        if (!(v instanceof RObject) || v.size !== t.entries.length) return false;
        const step = (i: number): boolean => {
          if (i === t.entries.length) return k();
          const [kt, vt] = t.entries[i];
          return this.evalTerm(kt, (key) => {
            const x = v.get(key);
            return x !== undefined && this.unifyValue(vt, x, () => step(i + 1));
          });
        };
        return step(0);
      }
      default:
        return this.evalTerm(t, (tv) => equals(tv, v) && k());
    }
  }

  trace(rule: string, loc: Loc, value: Value): void {
    if (this.opts.trace) this.traceEvents.push({ rule, file: loc.file, line: loc.line, col: loc.col, value });
  }
}
