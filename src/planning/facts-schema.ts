/** Schema of PR/commit facts given to `unwind plan --links` (the offline stand-in for gatherPullFacts). */
import { z } from 'zod';

export const PullFactsSchema = z.strictObject({
  repo: z.string().regex(/^[^/\s]+\/[^/\s]+$/).describe('`owner/repo`.'),
  number: z.number().int().positive().describe('PR number.'),
  title: z.string().describe('PR title.').default(''),
  body: z.string().describe('PR body; `Depends-On:` lines are read from it.').default(''),
  merged: z.boolean().describe('Whether the PR is merged.').default(true),
  mergedAt: z.string().nullable().describe('ISO time of the merge.').default(null),
  mergeCommitSha: z.string().nullable().describe('SHA of the merge (or squash) commit.').default(null),
  mergeCommitParents: z.number().int().min(1).optional().describe('Parents of the merge commit: 2 for a merge commit.'),
  files: z.array(z.string()).describe('Files the PR changed.').default([]),
  author: z.string().describe('Login of the PR author.').default(''),
  url: z.string().optional().describe('PR URL.'),
});

export const CommitFactsSchema = z.strictObject({
  repo: z.string().regex(/^[^/\s]+\/[^/\s]+$/).describe('`owner/repo`.'),
  sha: z.string().regex(/^[0-9a-fA-F]{7,40}$/).describe('Commit SHA.'),
  parents: z.number().int().min(0).describe('Number of parents.').default(1),
  message: z.string().describe('Commit message.').default(''),
  committedAt: z.string().describe('ISO time of the commit.'),
  files: z.array(z.string()).describe('Files changed against the first parent.').default([]),
  author: z.string().nullable().describe('Login of the author.').default(null),
});

/** Either a list of PR facts, or `{ pulls, commits }`. */
export const FactsFileSchema = z.union([
  z.array(PullFactsSchema).transform((pulls) => ({ pulls, commits: [] as Array<z.output<typeof CommitFactsSchema>> })),
  z.strictObject({ pulls: z.array(PullFactsSchema).default([]), commits: z.array(CommitFactsSchema).default([]) }),
]);
