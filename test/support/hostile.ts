/** Generated hostile text: arbitrary unicode mixed with the markdown and HTML an attacker would try. */
import fc from 'fast-check';

export const HOSTILE_FRAGMENTS = [
  '<!--',
  '-->',
  '<!-- unwind:state eyJ2IjoxfQ -->',
  '<!-- unwind:ledger eyJ2IjoxfQ test.AAAA -->',
  '@acme/sre',
  '@bob',
  ' @eve ',
  '`',
  '```',
  '|',
  '\\|',
  '\\',
  '[x](javascript:alert(1))',
  '![i](https://evil.example/i.png)',
  '<img src=x onerror=alert(1)>',
  '<details>',
  '<https://evil.example>',
  '\n',
  '\r',
  '\r\n',
  '\u2028',
  '\u0000',
  '\u202e',
  '\u2066',
  '#1',
  '# ',
  '- ',
  '1. ',
  '**',
  '_',
  '~~',
  '$',
  '&',
  '&#64;',
  '&lt;',
  '&#x3C;!--',
  'a_b',
  ' ',
] as const;

/** One hostile string: up to 12 parts, each a fragment above or a short arbitrary string (any code point). */
export const hostileString: fc.Arbitrary<string> = fc
  .array(fc.oneof(fc.constantFrom(...HOSTILE_FRAGMENTS), fc.string({ unit: 'binary', maxLength: 6 }), fc.string({ unit: 'grapheme-ascii', maxLength: 6 })), { maxLength: 12 })
  .map((parts) => parts.join(''));
