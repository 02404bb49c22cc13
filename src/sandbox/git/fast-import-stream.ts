import { GitInputError } from './errors.ts';
import type { Person } from './types.ts';
import { assertRepoPath } from './validate-input.ts';

export interface NewCommit {
  files: Record<string, string | Buffer | null>;
  message: string;
  author: Person;
  committer?: Person;
}

function ident(kind: string, who: Person, now: Date): string {
  if (!who.name.trim() || /[<>\n]/.test(who.name) || /[<>\n]/.test(who.email)) {
    throw new GitInputError(kind, `${who.name} <${who.email}>`, 'name must be non-empty; no "<", ">" or newlines');
  }
  return `${kind} ${who.name} <${who.email}> ${Math.floor((who.date ?? now).getTime() / 1000)} +0000\n`;
}

function quote(file: string): string {
  return `"${assertRepoPath('file path', file).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function data(content: string | Buffer): Buffer[] {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  return [Buffer.from(`data ${bytes.length}\n`), bytes, Buffer.from('\n')];
}

/** A `git fast-import` stream writing `commits` as a linear chain on `ref`, starting from `from` (or a root). */
export function buildFastImportStream(p: { ref: string; from: string | null; commits: readonly NewCommit[]; now: Date }): Buffer {
  const parts: Buffer[] = [];
  p.commits.forEach((c, i) => {
    parts.push(Buffer.from(`commit ${p.ref}\n`));
    parts.push(Buffer.from(ident('author', c.author, p.now) + ident('committer', c.committer ?? c.author, p.now)));
    parts.push(...data(c.message.endsWith('\n') ? c.message : `${c.message}\n`));
    if (i === 0 && p.from !== null) parts.push(Buffer.from(`from ${p.from}\n`));
    for (const [file, content] of Object.entries(c.files)) {
      if (content === null) parts.push(Buffer.from(`D ${quote(file)}\n`));
      else parts.push(Buffer.from(`M 100644 inline ${quote(file)}\n`), ...data(content));
    }
    parts.push(Buffer.from('\n'));
  });
  parts.push(Buffer.from('done\n'));
  return Buffer.concat(parts);
}
