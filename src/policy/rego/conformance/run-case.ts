/** Runs one conformance case through the engine and compares the outcome with the expectation. */
import { RObject, RSet, compare, equals, fromJS, toJSONText } from '../value.ts';
import type { Value } from '../value.ts';
import { RegoCompileError, RegoEvalError, compile } from '../index.ts';
import type { ConformanceCase } from './load-cases.ts';
import { regoString } from '../eval/format.ts';

export interface CaseResult {
  status: 'pass' | 'fail' | 'skip';
  reason?: string;
}

const CASE_BUDGET = { maxSteps: 5_000_000, timeoutMs: 5_000 };
const NOW_NS = 1_700_000_000_000_000_000n;

/** Regorus's YAML encodings: `set!`, `object!`, `#undefined`. */
export function decodeRegorus(x: unknown): Value | undefined {
  if (x === '#undefined') return undefined;
  if (Array.isArray(x)) return x.map((e) => decodeRegorus(e) ?? null);
  if (x instanceof Map) {
    if (x.size === 1 && Array.isArray(x.get('set!'))) return new RSet((x.get('set!') as unknown[]).map((e) => decodeRegorus(e) ?? null));
    if (x.size === 1 && Array.isArray(x.get('object!')))
      return new RObject(
        (x.get('object!') as unknown[]).map((e) => {
          const m = e instanceof Map ? e : new Map(Object.entries(e as object));
          return [decodeRegorus(m.get('key')) ?? null, decodeRegorus(m.get('value')) ?? null] as const;
        }),
      );
    return new RObject([...x].map(([k, v]) => [decodeRegorus(k) ?? null, decodeRegorus(v) ?? null] as const));
  }
  if (x && typeof x === 'object') {
    const o = x as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1 && keys[0] === 'set!' && Array.isArray(o['set!'])) return new RSet(o['set!'].map((e) => decodeRegorus(e) ?? null));
    if (keys.length === 1 && keys[0] === 'object!' && Array.isArray(o['object!']))
      return new RObject((o['object!'] as Array<{ key: unknown; value: unknown }>).map((e) => [decodeRegorus(e.key) ?? null, decodeRegorus(e.value) ?? null] as const));
    return new RObject(keys.map((k) => [k, decodeRegorus(o[k]) ?? null] as const));
  }
  return fromJS(x);
}

/** OPA's runner compares results as JSON: sets become sorted arrays, non-string keys their JSON text. */
function asJSON(v: Value): Value {
  if (Array.isArray(v)) return v.map(asJSON);
  if (v instanceof RSet) return v.sortedValues().map(asJSON);
  if (v instanceof RObject) return new RObject([...v.entries()].map(([k, x]) => [typeof k === 'string' ? k : toJSONText(k), asJSON(x)] as const));
  return v;
}

/** OPA's runner with `sort_bindings`: each binding that is an array (after JSON conversion) is sorted. */
function sortBindingArrays(v: Value): Value {
  if (!(v instanceof RObject)) return v;
  return new RObject([...v.entries()].map(([k, x]) => [k, Array.isArray(x) ? [...x].sort(compare) : x] as const));
}

function sameMultiset(a: Value[], b: Value[]): boolean {
  if (a.length !== b.length) return false;
  const sa = [...a].sort(compare);
  const sb = [...b].sort(compare);
  return sa.every((x, i) => equals(x, sb[i]));
}

function show(vs: Value[]): string {
  const s = vs.map(regoString).join(', ');
  return s.length > 300 ? s.slice(0, 300) + '…' : s;
}

function errorInfo(e: unknown): { code: string; message: string } | undefined {
  if (e instanceof RegoCompileError) return { code: e.problems[0]?.code ?? 'rego_compile_error', message: e.message };
  if (e instanceof RegoEvalError) return { code: e.code, message: e.message };
  return undefined;
}

export function runCase(c: ConformanceCase): CaseResult {
  if (c.loadError) return { status: 'fail', reason: `cannot read the YAML file: ${c.loadError}` };
  if (c.skip) return { status: 'skip', reason: c.skip };
  try {
    const outcome = evaluate(c);
    const want = c.expect;
    if (want.kind === 'error') return { status: 'fail', reason: `expected an error${want.code ? ` ${want.code}` : ''}, got ${show(outcome)}` };
    if (want.kind === 'noresult') return outcome.length === 0 ? { status: 'pass' } : { status: 'fail', reason: `expected no result, got ${show(outcome)}` };
    const expected = want.kind === 'value' ? want.values.map((v) => decodeRegorus(v) ?? null) : want.bindings.map((b) => fromJS(b));
    const ok =
      want.kind === 'bindings' && want.sorted
        ? outcome.length === expected.length && outcome.every((x, i) => equals(sortBindingArrays(x), sortBindingArrays(expected[i])))
        : sameMultiset(outcome, expected);
    return ok ? { status: 'pass' } : { status: 'fail', reason: `want ${show(expected)}, got ${show(outcome)}` };
  } catch (e) {
    const info = errorInfo(e);
    const want = c.expect;
    if (want.kind === 'error' && info) {
      if (c.format === 'opa') {
        if (want.code && want.code !== info.code) return { status: 'fail', reason: `want error code ${want.code}, got ${info.code}: ${info.message}` };
        // OPA's runner prints a location as file:row (ast.Location.String()); the engine's carry the column too.
        const asOpa = info.message.replace(/(\.rego):(\d+):\d+:/g, '$1:$2:');
        if (want.message && !asOpa.includes(want.message)) return { status: 'fail', reason: `want error containing ${JSON.stringify(want.message)}, got ${info.message}` };
      }
      return { status: 'pass' };
    }
    const msg = info ? info.message : e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    return { status: 'fail', reason: `unexpected error: ${msg.split('\n').slice(0, 3).join(' | ')}` };
  }
}

/** Results as the case's format reports them: regorus values per solution, or OPA bindings. */
function evaluate(c: ConformanceCase): Value[] {
  // OPA's case runner names its modules test-0.rego, test-1.rego, … (some expected messages show it).
  const name = (i: number): string => (c.format === 'opa' ? `test-${i}.rego` : `module_${i}.rego`);
  const policy = compile({ modules: c.modules.map((text, i) => ({ path: name(i), text })), data: c.data ?? {} });
  let inputs: Array<unknown> | undefined = c.inputs;
  if (c.inputTerm !== undefined) {
    // Not `__input__`: the engine hides generated `__…__` variables from a query's bindings.
    const r = compile({ modules: [] }).query(`input_term_value := ${c.inputTerm}`);
    inputs = [r.bindings[0]?.input_term_value];
  }
  const runs = inputs ?? [undefined];
  const out: Value[] = [];
  for (const input of runs) {
    const opts = { ...CASE_BUDGET, nowNs: NOW_NS, strictBuiltinErrors: c.strict, ...(input !== undefined ? { input } : {}) };
    const { solutions } = policy.queryFull(c.query, opts);
    for (const s of solutions) {
      const names = Object.keys(s.bindings);
      if (c.format === 'opa') out.push(asJSON(new RObject(names.map((n) => [n, s.bindings[n]] as const))));
      else if (names.length > 0) out.push(new RObject(names.map((n) => [n, s.bindings[n]] as const)));
      else if (s.expressions.length === 1) out.push(s.expressions[0] ?? null);
      else out.push(s.expressions.map((x) => x ?? null));
    }
  }
  return out;
}
