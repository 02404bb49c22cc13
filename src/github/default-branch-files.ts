/**
 * The port's `readDefaultBranchFile` over GraphQL: a file of a repository's default branch and the commit it
 * was read at, in one request, where REST takes three one after the other (the repository for its default
 * branch, the branch's head, the file at that commit). The file and the commit come from one object, so they
 * always agree. Reads asked for in the same turn of the event loop share one query (an alias per file, up to
 * MAX_PER_QUERY): the map and every contract of an org cost two round trips, not six.
 *
 * Owners, names and paths travel as variables, never inside the query text. A repository GitHub does not show
 * (NOT_FOUND) is `no_repo`, as REST's 404; what this cannot answer exactly (a binary or truncated blob, a
 * submodule, another error on one file) is null, and the caller reads that file with REST.
 */
import { sendGraphql, type GraphqlAnswer } from './graphql-send.ts';
import type { OctokitLike } from './octokit-like.ts';
import type { DefaultBranchFileRead, GitHubPort, RepoRef } from './port.ts';

/** Files in one query: GitHub limits a query's nodes, and a few dozen aliases stay far below it. */
const MAX_PER_QUERY = 25;

interface FileNode {
  defaultBranchRef: {
    target: { oid: string; file?: { type: string; oid: string; object: { text?: string | null; isBinary?: boolean | null; isTruncated?: boolean } | null } | null } | null;
  } | null;
}

interface Wanted {
  readonly ref: RepoRef;
  readonly path: string;
  readonly resolve: (read: DefaultBranchFileRead | null) => void;
  readonly reject: (err: unknown) => void;
}

export function defaultBranchFileMethods(octokit: OctokitLike): Required<Pick<GitHubPort, 'readDefaultBranchFile'>> {
  let queue: Wanted[] = [];
  // A GitHub whose GraphQL API refuses the query (an older Enterprise Server): REST from then on.
  const state = { refused: false };
  const flush = (): void => {
    const batch = queue;
    queue = [];
    for (let i = 0; i < batch.length; i += MAX_PER_QUERY) void readBatch(octokit, batch.slice(i, i + MAX_PER_QUERY), state);
  };
  return {
    readDefaultBranchFile(ref, path) {
      if (state.refused) return Promise.resolve(null);
      return new Promise((resolve, reject) => {
        queue.push({ ref, path, resolve, reject });
        if (queue.length === 1) setImmediate(flush);
      });
    },
  };
}

/** The query for `n` files: `f<i>` is the repository `$o<i>/$n<i>` with its default branch's head and file `$p<i>`. */
export function defaultBranchFilesQuery(n: number): string {
  const vars = Array.from({ length: n }, (_, i) => `$o${i}: String!, $n${i}: String!, $p${i}: String!`).join(', ');
  const fields = Array.from(
    { length: n },
    (_, i) =>
      `  f${i}: repository(owner: $o${i}, name: $n${i}) { defaultBranchRef { target { oid ... on Commit { file(path: $p${i}) { type oid object { ... on Blob { text isBinary isTruncated } } } } } } }`,
  );
  return `query UnwindDefaultBranchFiles(${vars}) {\n${fields.join('\n')}\n}`;
}

async function readBatch(octokit: OctokitLike, batch: Wanted[], state: { refused: boolean }): Promise<void> {
  const variables: Record<string, string> = {};
  batch.forEach((w, i) => {
    variables[`o${i}`] = w.ref.owner;
    variables[`n${i}`] = w.ref.repo;
    variables[`p${i}`] = w.path;
  });
  let answer: GraphqlAnswer<Record<string, FileNode | null>>;
  try {
    answer = await sendGraphql<Record<string, FileNode | null>>(octokit, defaultBranchFilesQuery(batch.length), variables);
  } catch (err) {
    for (const w of batch) w.reject(err);
    return;
  }
  const errors = answer.errors ?? [];
  // An error about the whole query (no alias in its path): a query GitHub rejects (a rate limit was thrown above).
  const general = errors.filter((e) => typeof e.path?.[0] !== 'string' || !/^f\d+$/.test(e.path[0]));
  if (general.length || !answer.data) {
    state.refused = true;
    for (const w of batch) w.resolve(null);
    return;
  }
  batch.forEach((w, i) => {
    const alias = `f${i}`;
    const own = errors.filter((e) => e.path?.[0] === alias);
    if (own.length) w.resolve(own.every((e) => e.type === 'NOT_FOUND') && answer.data?.[alias] == null ? { kind: 'no_repo' } : null);
    else w.resolve(toRead(answer.data?.[alias] ?? null));
  });
}

function toRead(node: FileNode | null): DefaultBranchFileRead | null {
  if (node === null) return { kind: 'no_repo' };
  const target = node.defaultBranchRef?.target;
  if (!node.defaultBranchRef) return { kind: 'missing', commitSha: '' }; // no commits yet
  if (!target?.oid || target.file === undefined) return null;
  const commitSha = target.oid;
  const file = target.file;
  if (file === null) return { kind: 'missing', commitSha };
  if (file.type === 'tree') return { kind: 'directory', commitSha };
  const text = file.object?.text;
  if (file.type !== 'blob' || typeof text !== 'string' || file.object?.isBinary || file.object?.isTruncated) return null;
  return { kind: 'file', commitSha, blobSha: file.oid, text };
}
