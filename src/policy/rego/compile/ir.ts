/** The compiled form of Rego: resolved names, unique variables and safety-ordered bodies. */
import type { Loc } from '../errors.ts';
import type { Value } from '../value.ts';

export interface CVar {
  t: 'var';
  /** Unique within the rule (or query). */
  name: string;
  /** The name as written. */
  orig: string;
  loc: Loc;
}

export type CRefHead = { k: 'data' } | { k: 'input' } | { k: 'term'; term: CTerm };

export interface CRef {
  t: 'ref';
  head: CRefHead;
  path: CTerm[];
  loc: Loc;
}

export type CallTarget =
  | { k: 'builtin'; name: string }
  | { k: 'func'; path: string[]; key: string }
  | { k: 'print' };

export interface CCall {
  t: 'call';
  target: CallTarget;
  args: CTerm[];
  loc: Loc;
  /** Display name (`count`, `data.lib.f`, `plus`). */
  name: string;
}

export interface CCompr {
  t: 'compr';
  kind: 'array' | 'set' | 'object';
  /** Element (array/set) or value (object). */
  term: CTerm;
  key?: CTerm;
  body: CExpr[];
  /** Variables of enclosing scopes that the comprehension reads. */
  free: string[];
  loc: Loc;
}

export type CTerm =
  | { t: 'val'; v: Value }
  | CVar
  | CRef
  | { t: 'array'; items: CTerm[] }
  | { t: 'set'; items: CTerm[] }
  | { t: 'object'; entries: Array<[CTerm, CTerm]> }
  | CCompr
  | CCall;

export type WithTarget = { k: 'input'; path: string[] } | { k: 'data'; path: string[] } | { k: 'fn'; key: string };

export interface CWith {
  target: WithTarget;
  value: CTerm;
  /** When the value names a function (`with f as g`), the replacement. */
  fnValue?: CallTarget;
  loc: Loc;
}

export type CExprBody =
  | { k: 'term'; term: CTerm }
  /** `callOutput`: written as a call with its output argument, `f(x, out)` (left is `out`). */
  | { k: 'unify'; left: CTerm; right: CTerm; callOutput?: boolean }
  | { k: 'somein'; key?: CTerm; value: CTerm; coll: CTerm }
  | { k: 'every'; key?: CTerm; value: CTerm; coll: CTerm; body: CExpr[]; free: string[] }
  | { k: 'true' };

export interface CExpr {
  loc: Loc;
  negated: boolean;
  withs: CWith[];
  e: CExprBody;
  /** For query expressions: index (in the query as written) under which to capture the value. */
  capture?: number;
}

export interface CClause {
  /** Function parameters as patterns (functions only). */
  args?: CTerm[];
  value: CTerm;
  body: CExpr[];
  loc: Loc;
}

export type RuleKind = 'complete' | 'set' | 'object' | 'func';

export interface CRule {
  kind: RuleKind;
  /** Data path of the rule tree node this rule defines (package + static head prefix). */
  path: string[];
  /** Dynamic head suffix (object/set rules): nested object keys. */
  keys: CTerm[];
  /** Set rules: the element. */
  elem?: CTerm;
  /** The main clause followed by `else` clauses (complete rules and functions). */
  clauses: CClause[];
  isDefault: boolean;
  /** Every solution produces the same value: stop after the first. */
  constant: boolean;
  loc: Loc;
  pkg: string[];
  /** The head as written, e.g. `data.test.p`. */
  ref: string;
  name: string;
}

/**
 * Calls `f` on each direct subterm of a ref (its term head, then its path), a call (its arguments) or a
 * composite (array/set items, object keys and values in entry order). Scalars, vars and closures have
 * none here: each walker decides for itself whether and how to enter a comprehension.
 */
export function forEachChild(t: CTerm, f: (x: CTerm) => void): void {
  switch (t.t) {
    case 'ref':
      if (t.head.k === 'term') f(t.head.term);
      for (const p of t.path) f(p);
      return;
    case 'array':
    case 'set':
      for (const x of t.items) f(x);
      return;
    case 'object':
      for (const [k, v] of t.entries) {
        f(k);
        f(v);
      }
      return;
    case 'call':
      for (const a of t.args) f(a);
      return;
    default:
      return;
  }
}
