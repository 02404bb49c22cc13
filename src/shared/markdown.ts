/**
 * The one way user-controlled text (reasons, PR titles, commit messages, contract and map values,
 * file paths, error messages) enters the GitHub markdown Unwind writes. Its output, for any input:
 * no `<` or `>` (so no HTML and no HTML comment that could forge a hidden record), no line break,
 * control character or bidi override, no mention (`@` is followed by a zero-width space), `&` as
 * `&amp;` (no entity), and every markdown punctuation character backslash-escaped, but for an `_`
 * inside a word, which cannot emphasise (so no link, image, emphasis, code, heading, math or
 * table-cell break). GitHub renders it as the text it was, on one line.
 */

/** Line breaks and other control characters become spaces. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
/** Bidirectional overrides and isolates are dropped: they make text read differently from what it is. */
const BIDI = /[\u202a-\u202e\u2066-\u2069]/g;
const SPECIAL = /[&<>@\\`*_[\]()|~!#$]/g;

/** How much of the text to keep, in code points (`…` marks a cut). An object, so `list.map(mdText)` cannot pass an index. */
export interface MdLimit {
  readonly max?: number;
}

/** `text` on one line without control characters or bidi overrides, cut to `max` code points. */
export function plainLine(text: string, { max = Infinity }: MdLimit = {}): string {
  const line = text.replace(CONTROL, ' ').replace(BIDI, '');
  if (line.length <= max) return line;
  const points = Array.from(line);
  return points.length <= max ? line : `${points.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/** User text for inline markdown (paragraphs, list items, table cells): shown as written, never interpreted. */
export function mdText(text: string, limit: MdLimit = {}): string {
  return escapeLine(plainLine(text, limit));
}

/**
 * A code span holding `text` when it can hold it faithfully and safely (no backtick, `<`, `>` or `|`,
 * no edge spaces; GitHub makes no mention inside a code span), else the same text through `mdText`:
 * names such as check names and file paths keep their usual look, hostile text gets no more room.
 */
export function mdCode(text: string, limit: MdLimit = {}): string {
  const line = plainLine(text, limit);
  if (line === '' || /[`<>|]/.test(line) || /^\s|\s$/.test(line)) return escapeLine(line);
  return `\`${line}\``;
}

/**
 * Lines of user text shown verbatim in a fenced code block: the fence is longer than any run of
 * backticks inside, so no line can close it and turn the rest into markdown.
 */
export function mdFence(lines: readonly string[]): string[] {
  const clean = lines.map((l) => plainLine(l));
  const longest = Math.max(0, ...clean.flatMap((l) => (l.match(/`+/g) ?? []).map((run) => run.length)));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return [fence, ...clean, fence];
}

/** Mentions a GitHub login or `org/team` slug; anything else is shown as text, mentioning nobody. */
export function mdMention(name: string): string {
  const bare = name.startsWith('@') ? name.slice(1) : name;
  return MENTIONABLE.test(bare) ? `@${bare}` : mdText(name);
}

const MENTIONABLE = /^[A-Za-z0-9](?:-?[A-Za-z0-9]){0,38}(?:\/[A-Za-z0-9][A-Za-z0-9_.-]{0,99})?$/;

function escapeLine(line: string): string {
  // An `_` between letters or digits can neither open nor close emphasis: `snake_case` and URLs stay as they are.
  const escaped = line.replace(SPECIAL, (c, i: number) => (c === '_' && WORD.test(line.charAt(i - 1)) && WORD.test(line.charAt(i + 1)) ? c : (ESCAPES[c] ?? `\\${c}`)));
  // What a line may start with: a list marker (`-`, `+`, `1.`); a `>` or `#` is escaped already.
  return escaped.replace(/^(\s*)([-+])/, '$1\\$2').replace(/^(\s*\d+)\./, '$1\\.');
}

const WORD = /^[\p{L}\p{N}]$/u;
const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '@': '@\u200b' };

/** A link to an http(s) URL with `label` (markdown Unwind made safe) as its text; any other URL leaves the label alone. */
export function mdLink(label: string, url: string | null | undefined): string {
  return url && LINKABLE.test(url) ? `[${label}](${url})` : label;
}

const LINKABLE = /^https?:\/\/[^\s()<>`"'\\]+$/;
