/**
 * Shrinks a disagreeing case to a minimal reproduction: greedily deletes rules, body literals,
 * `default` lines and input keys (and empties input arrays) as long as the engine and OPA still
 * disagree in the same way (the same class of disagreement).
 */
import type { FuzzCase, FuzzRule } from './generate.ts';

/** Returns the class of disagreement of a candidate (undefined: they agree or the candidate is invalid). */
export type Judge = (c: FuzzCase) => Promise<string | undefined>;

function* candidates(c: FuzzCase): Generator<FuzzCase> {
  for (let i = 0; i < c.rules.length; i++) yield { ...c, rules: c.rules.filter((_, j) => j !== i) };
  for (let i = 0; i < c.rules.length; i++) {
    const r = c.rules[i];
    const put = (nr: FuzzRule) => ({ ...c, rules: c.rules.map((x, j) => (j === i ? nr : x)) });
    if (r.dflt) yield put({ head: r.head, body: r.body });
    for (let k = 0; k < r.body.length; k++) yield put({ ...r, body: r.body.filter((_, j) => j !== k) });
  }
  if (c.input && typeof c.input === 'object' && !Array.isArray(c.input)) {
    const doc = c.input as Record<string, unknown>;
    for (const k of Object.keys(doc)) {
      const { [k]: _drop, ...rest } = doc;
      yield { ...c, input: rest };
      const v = doc[k];
      if (Array.isArray(v) && v.length > 0) yield { ...c, input: { ...doc, [k]: v.slice(0, -1) } };
      if (v && typeof v === 'object' && !Array.isArray(v)) {
        for (const k2 of Object.keys(v)) {
          const { [k2]: _d2, ...inner } = v as Record<string, unknown>;
          yield { ...c, input: { ...doc, [k]: inner } };
        }
      }
    }
  }
}

export async function shrink(c: FuzzCase, cls: string, judge: Judge, maxTries = 150): Promise<FuzzCase> {
  let cur = c;
  let tries = 0;
  for (let progress = true; progress && tries < maxTries; ) {
    progress = false;
    for (const cand of candidates(cur)) {
      if (++tries > maxTries) break;
      if ((await judge(cand)) === cls) {
        cur = cand;
        progress = true;
        break;
      }
    }
  }
  return cur;
}
