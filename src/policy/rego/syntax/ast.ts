/** The Rego abstract syntax tree produced by the parser and consumed by the compiler. */
import type { Loc } from '../errors.ts';
import type { ModuleAnnotation } from './annotations.ts';
import type { Value } from '../value.ts';

export type Term =
  | { t: 'scalar'; value: Value; loc: Loc }
  | VarTerm
  | RefTerm
  | { t: 'array'; items: Term[]; loc: Loc }
  | { t: 'set'; items: Term[]; loc: Loc }
  | { t: 'object'; entries: Array<[Term, Term]>; loc: Loc }
  | { t: 'arraycompr'; term: Term; body: Body; loc: Loc }
  | { t: 'setcompr'; term: Term; body: Body; loc: Loc }
  | { t: 'objectcompr'; key: Term; value: Term; body: Body; loc: Loc }
  | CallTerm;

export interface VarTerm {
  t: 'var';
  name: string;
  loc: Loc;
}

/** `head.path…`; `.foo` path items are string scalars. */
export interface RefTerm {
  t: 'ref';
  head: Term;
  path: Term[];
  loc: Loc;
}

export interface CallTerm {
  t: 'call';
  /** The function as written: a var (`f`) or a ref with string path (`strings.replace_n`, `data.lib.f`). */
  fn: VarTerm | RefTerm;
  args: Term[];
  loc: Loc;
  /** Set when the call comes from an operator (`+`, `==`, `in`…), for messages. */
  op?: string;
}

export interface With {
  target: Term;
  value: Term;
  loc: Loc;
}

export type ExprBody =
  | { k: 'term'; term: Term }
  | { k: 'unify'; left: Term; right: Term }
  | { k: 'assign'; left: Term; right: Term }
  | { k: 'some'; vars: VarTerm[] }
  | { k: 'somein'; key?: Term; value: Term; coll: Term }
  | { k: 'every'; key?: Term; value: Term; coll: Term; body: Body };

export interface Expr {
  loc: Loc;
  negated: boolean;
  withs: With[];
  e: ExprBody;
}

export type Body = Expr[];

export interface ElseClause {
  loc: Loc;
  value?: Term;
  body: Body;
}

export interface Rule {
  loc: Loc;
  isDefault: boolean;
  /** Head reference: first item is the rule name var, then path terms (strings for `.x`). */
  head: Term[];
  /** Function parameters (present for functions). */
  args?: Term[];
  /** `contains` rules (multi-value / partial set). */
  contains?: Term;
  /** `= v` / `:= v`; absent means `true`. */
  value?: Term;
  assign: boolean;
  body: Body;
  /** True when the body used `if` (or the rule had no body). */
  usedIf: boolean;
  elses: ElseClause[];
}

export interface Import {
  loc: Loc;
  /** Path as written: root var (`data`, `input`, `future`, `rego`) then string segments. */
  path: string[];
  alias?: string;
}

export interface Module {
  file: string;
  pkg: string[];
  pkgLoc: Loc;
  imports: Import[];
  rules: Rule[];
  /** Rego version the module is held to: 'v1' (imports rego.v1 or uses only v1 syntax) or 'v0'. */
  version: 'v0' | 'v1';
  /** The module imports rego.v1 (strict v1 checks apply). */
  strictV1: boolean;
  /** METADATA blocks in source order, each with the statement it annotates (`syntax/annotations.ts`). */
  annotations: ModuleAnnotation[];
}
