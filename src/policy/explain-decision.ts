/**
 * Explains a decision: for each deny reason and warning, which rules (file:line:col) produced it,
 * found in the engine's trace (rego engine only; opa-wasm has no trace).
 */
import type { Decision } from './decision.ts';
import type { TraceEvent } from './rego/index.ts';
import { toJS } from './rego/value.ts';
import type { Value } from './rego/value.ts';

export interface RuleLocation {
  rule: string;
  file: string;
  line: number;
  col: number;
}

export interface Explanation {
  kind: 'deny' | 'warning';
  text: string;
  /** Rules whose value is the item (first) or contains it directly. Empty when the trace says nothing. */
  rules: RuleLocation[];
}

/** JSON with sorted object keys, so equal values compare equal whatever their key order. */
function canonical(x: unknown): string {
  if (Array.isArray(x)) return '[' + x.map(canonical).join(',') + ']';
  if (typeof x === 'object' && x !== null) {
    const o = x as Record<string, unknown>;
    return '{' + Object.keys(o).sort().filter((k) => o[k] !== undefined).map((k) => JSON.stringify(k) + ':' + canonical(o[k])).join(',') + '}';
  }
  return JSON.stringify(x);
}

export function explainDecision(decision: Decision, trace: readonly TraceEvent[] | undefined): Explanation[] {
  const events = (trace ?? []).map((e) => {
    const js = toJS(e.value as Value);
    return { e, key: canonical(js), members: Array.isArray(js) ? new Set(js.map(canonical)) : undefined };
  });
  const locate = (item: unknown): RuleLocation[] => {
    const key = canonical(item);
    const exact: RuleLocation[] = [];
    const containing: RuleLocation[] = [];
    const seen = new Set<string>();
    const add = (list: RuleLocation[], e: TraceEvent): void => {
      const id = `${e.rule}@${e.file}:${e.line}:${e.col}`;
      if (seen.has(id)) return;
      seen.add(id);
      list.push({ rule: e.rule, file: e.file, line: e.line, col: e.col });
    };
    for (const ev of events) if (ev.key === key) add(exact, ev.e);
    for (const ev of events) if (ev.members?.has(key)) add(containing, ev.e);
    return [...exact, ...containing];
  };
  return [
    ...decision.deny.map((d) => ({ kind: 'deny' as const, text: `[${d.enforcement}] ${d.reason}`, rules: locate(d) })),
    ...decision.warnings.map((w) => ({ kind: 'warning' as const, text: w, rules: locate(w) })),
  ];
}

export function formatExplanations(list: readonly Explanation[], engine: string): string {
  if (list.length === 0) return 'explain: no deny reasons and no warnings\n';
  const lines = ['explain:'];
  for (const x of list) {
    lines.push(`  ${x.kind}: ${x.text}`);
    if (x.rules.length === 0) lines.push(engine === 'rego' ? '    (no rule found in the trace)' : `    (no trace: the ${engine} engine cannot explain)`);
    for (const r of x.rules) lines.push(`    from ${r.rule} at ${r.file}:${r.line}:${r.col}`);
  }
  return lines.join('\n') + '\n';
}
