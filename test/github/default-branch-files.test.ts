/** readDefaultBranchFile's batching and fallbacks (src/github/default-branch-files.ts), with an Octokit double that records queries. */
import { describe, expect, it } from 'vitest';
import { defaultBranchFileMethods } from '../../src/github/default-branch-files.ts';
import { GitHubError } from '../../src/github/errors.ts';
import type { OctokitLike } from '../../src/github/octokit-like.ts';

/** `octokit.graphql` that answers each query with `answer(variables)` (thrown like @octokit/graphql when it carries errors). */
function octokit(answer: (variables: Record<string, string>) => { data?: unknown; errors?: unknown[] }) {
  const queries: Array<{ query: string; variables: Record<string, string> }> = [];
  const o = {
    request: async () => {
      throw new Error('REST is not used here');
    },
    graphql: async (query: string, variables: Record<string, string>) => {
      queries.push({ query, variables });
      const a = answer(variables);
      if (a.errors) throw Object.assign(new Error('GraphQL errors'), { errors: a.errors, data: a.data });
      return a.data;
    },
  };
  return { o: o as unknown as OctokitLike, queries };
}

const commit = (text: string) => ({ defaultBranchRef: { target: { oid: 'c'.repeat(40), file: { type: 'blob', oid: 'b'.repeat(40), object: { text, isBinary: false, isTruncated: false } } } } });

describe('readDefaultBranchFile over GraphQL', () => {
  it('sends the reads of one turn as one query, the values as variables', async () => {
    const { o, queries } = octokit((v) => ({ data: Object.fromEntries(Object.keys(v).filter((k) => k.startsWith('p')).map((k) => [`f${k.slice(1)}`, commit(v[k]!)])) }));
    const { readDefaultBranchFile } = defaultBranchFileMethods(o);
    const reads = await Promise.all(['a.yml', 'b.yml', 'c.yml'].map((p, i) => readDefaultBranchFile({ owner: 'acme', repo: `r${i}` }, p)));
    expect(queries).toHaveLength(1);
    expect(queries[0]!.variables).toEqual({ o0: 'acme', n0: 'r0', p0: 'a.yml', o1: 'acme', n1: 'r1', p1: 'b.yml', o2: 'acme', n2: 'r2', p2: 'c.yml' });
    expect(queries[0]!.query).not.toContain('acme');
    expect(reads.map((r) => r?.kind === 'file' && r.text)).toEqual(['a.yml', 'b.yml', 'c.yml']);
  });

  it('a rate limit fails the reads like REST; a GraphQL API that refuses the query leaves the reads to REST from then on', async () => {
    const limited = octokit(() => ({ data: null, errors: [{ type: 'RATE_LIMITED', message: 'API rate limit exceeded' }] }));
    const err = await defaultBranchFileMethods(limited.o).readDefaultBranchFile({ owner: 'acme', repo: 'api' }, 'x.yml').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GitHubError);
    expect((err as GitHubError).status).toBe(429);

    const old = octokit(() => ({ data: null, errors: [{ message: "Field 'file' doesn't exist on type 'Commit'" }] }));
    const methods = defaultBranchFileMethods(old.o);
    expect(await methods.readDefaultBranchFile({ owner: 'acme', repo: 'api' }, 'x.yml')).toBeNull();
    expect(await methods.readDefaultBranchFile({ owner: 'acme', repo: 'api' }, 'y.yml')).toBeNull();
    expect(old.queries).toHaveLength(1);
  });

  it('an error on one file leaves that file to REST; NOT_FOUND on a repository is no_repo', async () => {
    const { o } = octokit(() => ({ data: { f0: null, f1: null, f2: commit('ok') }, errors: [{ type: 'NOT_FOUND', path: ['f0'], message: 'Could not resolve' }, { type: 'FORBIDDEN', path: ['f1'], message: 'Resource not accessible by integration' }] }));
    const { readDefaultBranchFile } = defaultBranchFileMethods(o);
    const reads = await Promise.all([0, 1, 2].map((i) => readDefaultBranchFile({ owner: 'acme', repo: `r${i}` }, 'x.yml')));
    expect(reads[0]).toEqual({ kind: 'no_repo' });
    expect(reads[1]).toBeNull();
    expect(reads[2]).toMatchObject({ kind: 'file', text: 'ok' });
  });
});
