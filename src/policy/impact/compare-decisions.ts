/**
 * Policy impact (pure): the recorded inputs of past rollbacks evaluated with two policy sets (the
 * default branch's and a change's), and every decision that would come out differently:
 * allow ↔ pending ↔ deny, or a different number of approvals or approvers.
 */
import { decide, type PolicySet } from '../evaluate-decision.ts';
import type { Decision } from '../decision.ts';
import type { RecordedInput } from './recorded-input.ts';

export type Verdict = 'allow' | 'pending' | 'deny';

export interface Outcome {
  readonly verdict: Verdict;
  readonly approvals: number;
  readonly approvers: string[];
  /** Blocking reasons (deny) or nothing. */
  readonly reasons: string[];
}

export interface ImpactRow {
  readonly rollbackId: string;
  readonly at: string;
  readonly url: string | null;
  readonly base: Outcome;
  readonly head: Outcome;
  readonly flipped: boolean;
  /** What changed, in words: `allow → deny`, `approvals 1 → 2`. */
  readonly change: string;
}

export interface ImpactReport {
  readonly rows: ImpactRow[];
  readonly flips: ImpactRow[];
  readonly base: { readonly version: string; readonly failure?: string };
  readonly head: { readonly version: string; readonly failure?: string };
}

/** Each input is evaluated at the instant it was decided (`input.time.now`), as it was then. */
export function compareDecisions(base: PolicySet, head: PolicySet, inputs: readonly RecordedInput[]): ImpactReport {
  const rows = inputs.map((r): ImpactRow => {
    const now = decidedAt(r);
    const b = outcomeOf(decide(base, r.input, { now }));
    const h = outcomeOf(decide(head, r.input, { now }));
    const change = describeChange(b, h);
    return { rollbackId: r.rollbackId, at: r.at, url: r.url, base: b, head: h, flipped: change !== '', change };
  });
  return {
    rows,
    flips: rows.filter((r) => r.flipped),
    base: { version: base.policyVersion, ...(base.failure ? { failure: base.failure } : {}) },
    head: { version: head.policyVersion, ...(head.failure ? { failure: head.failure } : {}) },
  };
}

/** The verdict as Unwind acts on it: advisory reasons never block; pending approvals mean "not yet". */
export function outcomeOf(d: Decision): Outcome {
  const blocking = d.deny.filter((r) => r.enforcement !== 'advisory');
  const verdict: Verdict = d.allow && blocking.length === 0 ? 'allow' : blocking.length === 0 && d.pending !== null ? 'pending' : 'deny';
  return {
    verdict,
    approvals: verdict === 'pending' ? (d.pending?.approvals_required ?? 0) : 0,
    approvers: verdict === 'pending' ? [...(d.pending?.teams ?? []).map((t) => `@${t}`), ...(d.pending?.users ?? [])].sort() : [],
    reasons: blocking.map((r) => r.reason),
  };
}

export function describeOutcome(o: Outcome): string {
  if (o.verdict === 'pending') return `pending (${o.approvals} approval${o.approvals === 1 ? '' : 's'}${o.approvers.length ? ` from ${o.approvers.join(', ')}` : ''})`;
  return o.verdict;
}

function describeChange(b: Outcome, h: Outcome): string {
  if (b.verdict !== h.verdict) return `${b.verdict} → ${h.verdict}`;
  if (b.verdict !== 'pending') return '';
  const parts: string[] = [];
  if (b.approvals !== h.approvals) parts.push(`approvals ${b.approvals} → ${h.approvals}`);
  if (b.approvers.join(',') !== h.approvers.join(',')) parts.push(`approvers ${b.approvers.join(', ') || 'any'} → ${h.approvers.join(', ') || 'any'}`);
  return parts.join('; ');
}

function decidedAt(r: RecordedInput): Date {
  const time = r.input.time as { now?: unknown } | undefined;
  const ms = typeof time?.now === 'string' ? Date.parse(time.now) : Number.NaN;
  return new Date(Number.isFinite(ms) ? ms : Date.parse(r.at));
}
