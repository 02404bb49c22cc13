import type { CommitData, Person } from './types.ts';

function parseIdent(line: string): Required<Person> {
  const m = /^(.*) <([^>]*)> (-?\d+) ([+-]\d{4})$/.exec(line);
  if (!m) return { name: line, email: '', date: new Date(0) };
  return { name: m[1], email: m[2], date: new Date(Number(m[3]) * 1000) };
}

/** Parses the raw text of `git cat-file commit <sha>`. */
export function parseCommit(sha: string, raw: string): CommitData {
  const split = raw.indexOf('\n\n');
  const header = split === -1 ? raw : raw.slice(0, split);
  const message = split === -1 ? '' : raw.slice(split + 2).replace(/\n+$/, '');
  const parents: string[] = [];
  let tree = '';
  let author: Required<Person> = { name: '', email: '', date: new Date(0) };
  let committer = author;
  for (const line of header.split('\n')) {
    if (line.startsWith(' ')) continue; // continuation of gpgsig / mergetag
    const space = line.indexOf(' ');
    const key = line.slice(0, space);
    const value = line.slice(space + 1);
    if (key === 'tree') tree = value;
    else if (key === 'parent') parents.push(value);
    else if (key === 'author') author = parseIdent(value);
    else if (key === 'committer') committer = parseIdent(value);
  }
  return { sha, tree, parents, author, committer, message };
}
