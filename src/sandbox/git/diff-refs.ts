import { ZERO_SHA } from './validate-input.ts';

export interface RefUpdate {
  ref: string;
  /** 40 zeros when the ref was created */
  before: string;
  /** 40 zeros when the ref was deleted */
  after: string;
}

/** The ref changes between two `for-each-ref` snapshots, sorted by ref name. */
export function diffRefs(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): RefUpdate[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  const updates: RefUpdate[] = [];
  for (const ref of [...names].sort()) {
    const b = before.get(ref) ?? ZERO_SHA;
    const a = after.get(ref) ?? ZERO_SHA;
    if (a !== b) updates.push({ ref, before: b, after: a });
  }
  return updates;
}
