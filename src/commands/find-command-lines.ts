/**
 * The `/rollback` lines of a comment body: lines that start (after optional whitespace) with `/rollback`
 * followed by whitespace or the end of the line. Lines inside fenced code blocks, block quotes and HTML comments
 * do not count. Returns the text after `/rollback` and the 1-based line number of each.
 */
export interface CommandLine {
  readonly line: number;
  readonly args: string;
  /** 1-based column where `args` starts. */
  readonly column: number;
}

const COMMAND = /^[ \t]*\/rollback(?=[ \t\u00a0]|$)(.*)$/i;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

export function findCommandLines(body: string): CommandLine[] {
  const found: CommandLine[] = [];
  const lines = blankHtmlComments(body).split(/\r\n|\r|\n/);
  let fence: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const f = FENCE.exec(line);
    if (fence !== null) {
      if (f && f[1][0] === fence[0] && f[1].length >= fence.length && line.trim() === f[1]) fence = null;
      continue;
    }
    if (f) {
      fence = f[1];
      continue;
    }
    if (/^\s*>/.test(line)) continue;
    const m = COMMAND.exec(line);
    if (m) found.push({ line: i + 1, args: m[1], column: line.length - m[1].length + 1 });
  }
  return found;
}

/** Replaces HTML comments (`<!-- … -->`, or an unterminated one to the end) by as many newlines as they spanned. */
function blankHtmlComments(body: string): string {
  return body.replace(/<!--[\s\S]*?(?:-->|$)/g, (c) => '\n'.repeat((c.match(/\r\n|\r|\n/g) ?? []).length));
}
