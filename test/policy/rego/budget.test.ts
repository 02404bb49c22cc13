/**
 * The evaluation budget (steps and time) holds everywhere: comprehensions, nested comprehensions,
 * `every`, function bodies, builtins doing work proportional to their input (walk, numbers.range)
 * and steps that are individually expensive (comparing large values).
 */
import { describe, expect, it } from 'vitest';
import { RegoCompileError, RegoEvalError, compile } from '../../../src/policy/rego/index.ts';
import type { EvalOptions } from '../../../src/policy/rego/index.ts';
import { fromJS } from '../../../src/policy/rego/value.ts';
import type { Value } from '../../../src/policy/rego/value.ts';

const R = Array.from({ length: 1000 }, (_, i) => i);

function policy(text: string, r: number[] = R) {
  return compile({ modules: [{ path: 'budget.rego', text: `package b\nimport rego.v1\n${text}` }], data: { r } });
}

/** Evaluates data.b.n and returns the outcome with the elapsed wall time. */
function run(text: string, opts: EvalOptions, r: number[] = R): { value?: unknown; error?: RegoEvalError; ms: number } {
  const p = policy(text, r);
  const t0 = performance.now();
  try {
    const { value } = p.evalRef('data.b.n', opts);
    return { value, ms: performance.now() - t0 };
  } catch (e) {
    if (!(e instanceof RegoEvalError)) throw e;
    return { error: e, ms: performance.now() - t0 };
  }
}

/** The step budget stops the policy, and does so early (not after doing the whole job). */
function expectStepLimit(text: string, maxSteps: number, input?: unknown): void {
  const r = run(text, { maxSteps, timeoutMs: 60_000, ...(input === undefined ? {} : { input }) });
  expect(r.error?.code).toBe('budget_exceeded');
  expect(r.error?.message).toContain(`${maxSteps} steps`);
  // (No wall-clock assertion: the step count is what stops it; how fast is bench/rego.ts's figure.)
}

/**
 * The time limit stops the policy: not before the limit, and long before the unbudgeted run would
 * end (each workload takes seconds without a budget). How closely the limit is kept is a figure
 * printed by `npx tsx bench/rego.ts` (time-budget overshoot), not a wall-clock assertion here: on a
 * loaded 2-core CI machine a GC pause or another process can take the CPU away mid-evaluation.
 */
function expectTimeLimit(text: string, timeoutMs: number, input?: unknown, r: number[] = R): void {
  const res = run(text, { maxSteps: 1e12, timeoutMs, ...(input === undefined ? {} : { input }) }, r);
  expect(res.error?.code).toBe('budget_exceeded');
  expect(res.error?.message).toContain(`${timeoutMs} ms`);
  expect(res.ms).toBeGreaterThanOrEqual(timeoutMs - 1);
  expect(res.ms).toBeLessThan(timeoutMs + 1_500);
}

const PAIRS = 'n := count({[a, b] | some a in data.r; some b in data.r})';
const NESTED = 'n := count({x | some a in data.r; x := count([b | some b in data.r; b != a])})';
const ARRAY_OF_ARRAYS = 'n := count([[b | some b in data.r] | some a in data.r])';
const EVERY = 'n if { every a in data.r { every b in data.r { a + b >= 0 } } }';
const FUNCTION = 'f(a) := count([1 | some b in data.r; b < a])\nn := sum([f(a) | some a in data.r])';
const WALK = 'n := count([p | walk(input.doc, [p, v])])';

/** A document with 1 + 5·⌈n/4⌉ nodes (an array of small objects), converted up front so that only evaluation is timed. */
function wideDoc(n: number): Value {
  return fromJS(Array.from({ length: Math.ceil(n / 4) }, (_, i) => ({ id: i, tags: ['a', 'b'] })));
}

/** Built once, when the file loads, so that its allocation (and the GC it causes) is not timed. */
const LARGE_DOC = wideDoc(2_000_000);

describe('step budget', () => {
  it('counts steps inside a comprehension', () => expectStepLimit(PAIRS, 10_000));
  it('counts steps inside nested comprehensions', () => {
    expectStepLimit(NESTED, 10_000);
    expectStepLimit(ARRAY_OF_ARRAYS, 10_000);
  });
  it('counts steps inside `every`', () => expectStepLimit(EVERY, 10_000));
  it('counts steps inside function bodies called from comprehensions', () => expectStepLimit(FUNCTION, 10_000));
  it('charges walk per visited node', () => expectStepLimit(WALK, 20_000, { doc: wideDoc(200_000) }));
  it('charges numbers.range before it allocates', () => expectStepLimit('n := count(numbers.range(1, 9000000))', 50_000));
  it('leaves room for the same policies when the budget suffices', () => {
    const r300 = R.slice(0, 300);
    expect(run(PAIRS, { maxSteps: 500_000, timeoutMs: 60_000 }, r300).value?.toString()).toBe('90000');
    expect(run(EVERY, { maxSteps: 500_000, timeoutMs: 60_000 }, r300).value).toBe(true);
    expect(run(FUNCTION, { maxSteps: 500_000, timeoutMs: 60_000 }, r300).value?.toString()).toBe(String((300 * 299) / 2));
    expect(run(WALK, { maxSteps: 1_000_000, timeoutMs: 60_000, input: { doc: wideDoc(2_000) } }).value?.toString()).toBe('2501');
  });
  it('scales: a tenfold budget does about tenfold work before stopping', () => {
    // Steps spent inside the comprehension are what the budget measures: the number of pairs built
    // before the limit grows with the limit.
    const p = policy('n := count({[a, b] | some a in data.r; some b in data.r; print(a, b)})');
    const pairs = (maxSteps: number): number => {
      let printed = 0;
      expect(() => p.evalRef('data.b.n', { maxSteps, timeoutMs: 60_000, print: () => void printed++ })).toThrow(RegoEvalError);
      return printed;
    };
    const small = pairs(10_000);
    const large = pairs(100_000);
    expect(small).toBeGreaterThan(1_000);
    expect(large / small).toBeGreaterThan(8);
    expect(large / small).toBeLessThan(12);
  });
});

/** Three times the 1,000 entries: the pair workloads then take several seconds without a budget. */
const R3 = Array.from({ length: 3000 }, (_, i) => i);

describe('time budget', () => {
  it('is honoured inside a comprehension', () => expectTimeLimit(PAIRS, 60, undefined, R3));
  it('is honoured inside nested comprehensions', () => expectTimeLimit(NESTED, 60, undefined, R3));
  it('is honoured inside `every`', () => expectTimeLimit(EVERY, 60, undefined, R3));
  it('is honoured inside function bodies', () => expectTimeLimit(FUNCTION, 60, undefined, R3));
  it('is honoured by walk over a large document', () => expectTimeLimit(WALK, 40, { doc: LARGE_DOC }));
  it('is honoured when each step compares large values', () => {
    const big = 'big := [i | some i in numbers.range(1, 100000)]\nbig2 := [i | some i in numbers.range(1, 100000)]\n';
    expectTimeLimit(`${big}n := count([1 | some i in numbers.range(1, 100000); big == big2])`, 80);
  });
  it('is honoured when each step calls a builtin over a large value', () => {
    const big = 'big := [i | some i in numbers.range(1, 50000)]\n';
    expectTimeLimit(`${big}n := count([1 | some i in numbers.range(1, 100000); json.marshal(big) != ""])`, 80);
  });
});

describe('recursion and depth', () => {
  function compileCode(text: string): string | undefined {
    try {
      policy(text);
      return undefined;
    } catch (e) {
      if (e instanceof RegoCompileError) return e.problems[0].code;
      throw e;
    }
  }
  it('rejects recursive and mutually recursive functions at compile time', () => {
    expect(compileCode('f(x) := y if y := f(x - 1)\nn := f(3)')).toBe('rego_recursion_error');
    expect(compileCode('f(x) := g(x)\ng(x) := f(x)\nn := f(1)')).toBe('rego_recursion_error');
    expect(compileCode('n := count([x | some x in m])\nm := [n]')).toBe('rego_recursion_error');
  });
  it('evaluates a long (non-recursive) chain of functions', () => {
    const chain = Array.from({ length: 200 }, (_, i) => `f${i}(x) := f${i + 1}(x) + 1`).join('\n');
    const r = run(`${chain}\nf200(x) := x\nn := f0(1)`, { maxSteps: 1_000_000, timeoutMs: 10_000 });
    expect(r.value?.toString()).toBe('201');
  });
  it('walks a deeply nested document without exhausting the stack', () => {
    let doc: unknown = 'leaf';
    for (let i = 0; i < 1_000; i++) doc = { c: doc };
    const r = run(WALK, { maxSteps: 10_000_000, timeoutMs: 10_000, input: { doc } });
    expect(r.value?.toString()).toBe('1001');
  });
  it('charges walk for the length of the paths it copies', () => {
    let doc: unknown = 'leaf';
    for (let i = 0; i < 1_000; i++) doc = { c: doc };
    // 1,001 nodes but ~500,000 path elements: the step budget sees the real work.
    const r = run(WALK, { maxSteps: 100_000, timeoutMs: 10_000, input: { doc } });
    expect(r.error?.code).toBe('budget_exceeded');
  });
  it('turns an input nested beyond the stack into an evaluation error', () => {
    let doc: unknown = 1;
    for (let i = 0; i < 200_000; i++) doc = [doc];
    const r = run('n := 1', { input: { doc } });
    expect(r.error?.code).toBe('budget_exceeded');
    expect(r.error?.message).toContain('input nests too deeply');
  });
});
