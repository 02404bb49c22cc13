/** Test helper: call a builtin of the core/text families directly with Values. */
import { expect, it } from 'vitest';
import type { BuiltinContext, BuiltinDef } from '../../../../src/policy/rego/builtin-types.ts';
import { coreBuiltins } from '../../../../src/policy/rego/builtins/index-core.ts';
import { textBuiltins } from '../../../../src/policy/rego/builtins/index-text.ts';
import { fromJS, RSet, toJSONText } from '../../../../src/policy/rego/value.ts';
import type { Value } from '../../../../src/policy/rego/value.ts';

const registry = new Map<string, BuiltinDef>([...coreBuiltins, ...textBuiltins].map((b) => [b.name, b]));

export function makeCtx(nowNs = 1_700_000_000_123_456_789n): BuiltinContext {
  return { nowNs, print: () => {}, cache: new Map() };
}

export function builtin(name: string): BuiltinDef {
  const b = registry.get(name);
  if (!b) throw new Error(`no builtin ${name}`);
  return b;
}

/** Calls `name` with JS arguments converted by fromJS (use `S(...)` for sets). */
export function call(name: string, args: unknown[], ctx: BuiltinContext = makeCtx()): Value | undefined {
  const b = builtin(name);
  if (b.arity !== args.length) throw new Error(`${name} takes ${b.arity} operands, test gave ${args.length}`);
  return b.fn(args.map(fromJS), ctx);
}

/** Canonical JSON text of a result (sets as sorted arrays), or "undefined". */
export function j(name: string, ...args: unknown[]): string {
  const r = call(name, args);
  return r === undefined ? 'undefined' : toJSONText(r);
}

export function S(...xs: unknown[]): RSet {
  return new RSet(xs.map(fromJS));
}

export function names(): string[] {
  return [...registry.keys()];
}

/** JSON text of test arguments for test names (bigints as digits). */
export function show(args: unknown[]): string {
  return JSON.stringify(args, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x instanceof RSet ? { set: x.sortedValues().map(toJSONText) } : x));
}

export type Row = [name: string, args: unknown[], want: string];

/** One test per row: `name(...args)` gives the JSON text `want` (see `j`). */
export function table(rows: Row[]): void {
  for (const [name, args, want] of rows) it(`${name}(${show(args)})`, () => expect(j(name, ...args)).toBe(want));
}
