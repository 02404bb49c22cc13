/**
 * Characters that must not appear in names: C0 and C1 control characters (NUL included) and DEL, and the
 * bidirectional marks, embeddings, overrides and isolates that make text display in another order than it
 * is stored ("pay\u202Emnt" shows as "paytnm"), so a name could pass for another.
 */
const UNSAFE = '\\u0000-\\u001F\\u007F-\\u009F\\u061C\\u200E\\u200F\\u202A-\\u202E\\u2066-\\u2069';

/** Matches text free of unsafe characters (used as a JSON Schema `pattern` too). */
export const NO_UNSAFE_CHARACTERS = new RegExp(`^[^${UNSAFE}]*$`);

const UNSAFE_CHARACTER = new RegExp(`[${UNSAFE}]`, 'g');

const NAMES: Readonly<Record<number, string>> = {
  0x00: 'NUL', 0x09: 'tab', 0x0a: 'line feed', 0x0d: 'carriage return', 0x1b: 'escape', 0x7f: 'delete',
  0x061c: 'Arabic letter mark', 0x200e: 'left-to-right mark', 0x200f: 'right-to-left mark',
  0x202a: 'left-to-right embedding', 0x202b: 'right-to-left embedding', 0x202c: 'pop directional formatting',
  0x202d: 'left-to-right override', 0x202e: 'right-to-left override', 0x2066: 'left-to-right isolate',
  0x2067: 'right-to-left isolate', 0x2068: 'first strong isolate', 0x2069: 'pop directional isolate',
};

/** `U+202E (right-to-left override)` for the first unsafe character of `text`, or null when there is none. */
export function firstUnsafeCharacter(text: string): string | null {
  const m = new RegExp(UNSAFE_CHARACTER.source).exec(text);
  if (m === null) return null;
  const code = m[0].codePointAt(0)!;
  const name = Object.hasOwn(NAMES, code) ? NAMES[code] : code >= 0x2000 || code === 0x061c ? 'a bidirectional formatting character' : 'a control character';
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')} (${name})`;
}

/** `text` in double quotes with every unsafe character escaped as `\uXXXX`, so a message shows what is stored. */
export function quoteText(text: string): string {
  return JSON.stringify(text).replace(UNSAFE_CHARACTER, (ch) => `\\u${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
}
