/**
 * Signed hidden records: `<!-- unwind:<tag> <payload> <kid>.<mac> -->`. The MAC covers the tag, where
 * the record lives (a repository, an issue) and the exact payload, so a record cannot be edited,
 * forged, or moved to another place and still count.
 */
import { countHiddenOpeners, decodeHidden, findHidden, renderHidden } from '../ledger/hidden-json.ts';
import type { Keyring } from './keyring.ts';

export type SealProblem = 'missing' | 'several' | 'unsigned' | 'bad_signature' | 'unreadable';

export type Unsealed = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly problem: SealProblem };

export function sealHidden(tag: string, where: string, value: unknown, keyring: Keyring): string {
  return renderHidden(tag, value, (payload) => keyring.sign(sealedData(tag, where, payload)));
}

/** The one block of `tag` in `body`, if and only if it is alone and signed by the ring for `where`. */
export function unsealHidden(tag: string, where: string, body: string, keyring: Keyring): Unsealed {
  const openers = countHiddenOpeners(tag, body);
  if (openers === 0) return { ok: false, problem: 'missing' };
  if (openers > 1) return { ok: false, problem: 'several' };
  const [block] = findHidden(tag, body);
  if (!block) return { ok: false, problem: 'unreadable' };
  if (!block.signature) return { ok: false, problem: 'unsigned' };
  if (!keyring.verify(sealedData(tag, where, block.payload), block.signature)) return { ok: false, problem: 'bad_signature' };
  const value = decodeHidden(block.payload);
  return value === null ? { ok: false, problem: 'unreadable' } : { ok: true, value };
}

export function describeSealProblem(problem: SealProblem): string {
  switch (problem) {
    case 'missing':
      return 'it carries no state';
    case 'several':
      return 'it carries more than one state block';
    case 'unsigned':
      return 'its state block is not signed';
    case 'bad_signature':
      return 'its state block was changed after Unwind signed it (or was signed for another place, or with a key Unwind does not hold)';
    case 'unreadable':
      return 'its state block is not readable';
  }
}

function sealedData(tag: string, where: string, payload: string): string {
  return `unwind/1\n${tag}\n${where.toLowerCase()}\n${payload}`;
}
