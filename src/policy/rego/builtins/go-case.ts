/**
 * Go's strings.ToUpper/ToLower: every rune mapped on its own by its simple case mapping
 * (unicode.ToUpper/ToLower), so no special casing: `ß` and `ﬁ` stay, `İ` lowers to `i`, and there is
 * no final sigma. JavaScript's full mappings agree wherever they give one code point; where they give
 * several, the simple mapping is the rune itself except for the few listed here.
 *
 * Go's tables are Unicode 13.0 (the Go release OPA v0.47 was built with; Go 1.21+ has 15.0), older
 * than the ICU data of Node, so case pairs added since then are left alone. Checked rune by rune
 * against OPA for every rune Node considers cased (test/policy/rego/cases/upper-lower-all.yaml).
 */

/** Simple uppercase mappings of runes whose full uppercase is longer: Greek with ypogegrammeni. */
const SIMPLE_UPPER = new Map<number, number>([[0x1fb3, 0x1fbc], [0x1fc3, 0x1fcc], [0x1ff3, 0x1ffc]]);
for (const base of [0x1f80, 0x1f90, 0x1fa0]) for (let i = 0; i < 8; i++) SIMPLE_UPPER.set(base + i, base + 8 + i);

/** Simple lowercase mappings of runes whose full lowercase is longer: capital I with dot above. */
const SIMPLE_LOWER = new Map<number, number>([[0x0130, 0x0069]]);

/**
 * Runes whose case pairs are newer than Unicode 13.0: Cyrillic TJE, Glagolitic U+2C2F/U+2C5F, Latin
 * U+A7C0–A7C1 and U+A7CB–A7DC (their partners U+019B and U+0264 included), Vithkuqi, Garay, Beria Erfe.
 */
const LATER_PAIRS: Array<[number, number]> = [
  [0x1c89, 0x1c8a],
  [0x2c2f, 0x2c2f],
  [0x2c5f, 0x2c5f],
  [0xa7c0, 0xa7c1],
  [0xa7cb, 0xa7dc],
  [0x10570, 0x105bc],
  [0x10d50, 0x10d85],
  [0x16ea0, 0x16ed3],
];

function isLater(cp: number): boolean {
  return LATER_PAIRS.some(([lo, hi]) => cp >= lo && cp <= hi);
}

function mapRunes(s: string, full: (c: string) => string, simple: Map<number, number>): string {
  let out = '';
  for (const c of s) {
    const cp = c.codePointAt(0)!;
    const m = full(c);
    const mapped = [...m].length === 1 ? m.codePointAt(0)! : (simple.get(cp) ?? cp);
    out += mapped === cp || isLater(cp) || isLater(mapped) ? c : String.fromCodePoint(mapped);
  }
  return out;
}

const ASCII = /^[\x00-\x7f]*$/;

export function goToUpper(s: string): string {
  return ASCII.test(s) ? s.toUpperCase() : mapRunes(s, (c) => c.toUpperCase(), SIMPLE_UPPER);
}

export function goToLower(s: string): string {
  return ASCII.test(s) ? s.toLowerCase() : mapRunes(s, (c) => c.toLowerCase(), SIMPLE_LOWER);
}
