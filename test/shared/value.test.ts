import { describe, expect, it } from 'vitest';
import { compare, equals, fromJSONText, keyOf, num, RObject, RSet, toJSONText } from '../../src/policy/rego/value.ts';

describe('rego values', () => {
  it('orders types as OPA does', () => {
    const ordered = [null, false, true, num(-1), num(2), 'a', 'b', [num(1)], new RObject([['a', num(1)]]), new RSet([num(1)])];
    for (let i = 0; i + 1 < ordered.length; i++) expect(compare(ordered[i], ordered[i + 1])).toBeLessThan(0);
  });
  it('treats 1 and 1.0 as equal and keeps big integers exact', () => {
    expect(equals(num(1), fromJSONText('1.0'))).toBe(true);
    expect(keyOf(num(1))).toBe(keyOf(fromJSONText('1.00')));
    expect(toJSONText(fromJSONText('[12345678901234567890123, 0.5]'))).toBe('[12345678901234567890123,0.5]');
  });
  it('keys objects by any value', () => {
    const o = new RObject([[[num(1)], 'x'], ['k', true]]);
    expect(o.get([num(1)])).toBe('x');
    expect(toJSONText(o)).toBe('{"k":true,"[1]":"x"}');
  });
});
