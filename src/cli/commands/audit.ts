/** `unwind audit`: export a rollback tracking issue's ledger as JSON Lines. */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { createOctokitPort } from '../../github/octokit-adapter.ts';
import { createTokenOctokit, DEFAULT_BASE_URL } from '../../github/create-octokit.ts';
import type { GitHubPort, RepoRef } from '../../github/port.ts';
import { readLedger, toJsonLines } from '../../ledger/read-ledger.ts';
import { parseRepo } from '../../shared/repo-name.ts';

export interface AuditParams {
  port: GitHubPort;
  repo: RepoRef;
  issue: number;
  /** Only comments by this login count; default: any bot. */
  author?: string;
}

/** The ledger of one tracking issue as JSON Lines, plus how many entries it holds. */
export async function exportLedger(params: AuditParams): Promise<{ text: string; count: number }> {
  const ledger = await readLedger(params.port, params.repo, params.issue, params.author !== undefined ? { author: params.author } : {});
  return { text: toJsonLines(ledger.entries), count: ledger.entries.length };
}

interface AuditOptions {
  repo: string;
  issue: string;
  baseUrl?: string;
  token?: string;
  out?: string;
  author?: string;
}

export function register(program: Command): void {
  program
    .command('audit')
    .description("Export a rollback tracking issue's ledger as JSON Lines (one ledger entry per line, in sequence order).")
    .requiredOption('--repo <owner/repo>', 'repository of the tracking issue')
    .requiredOption('--issue <number>', 'number of the tracking issue')
    .option('--base-url <url>', `GitHub REST API base URL (default: $GITHUB_API_URL or ${DEFAULT_BASE_URL})`)
    .option('--token <token>', 'token that can read the issue (prefer the GITHUB_TOKEN environment variable)')
    .option('--author <login>', 'only trust ledger comments by this login, e.g. "unwind[bot]" (default: any bot)')
    .option('--out <file>', 'write to this file instead of standard output')
    .action(async (options: AuditOptions) => {
      const params = auditParams(options, process.env);
      const { text, count } = await exportLedger(params);
      if (options.out !== undefined) {
        writeFileSync(options.out, text);
        process.stderr.write(`unwind audit: wrote ${count} ledger entries to ${options.out}\n`);
      } else {
        process.stdout.write(text);
      }
    });
}

/** Checks the options and builds the port; every problem is an error that says what to pass. */
export function auditParams(options: AuditOptions, env: NodeJS.ProcessEnv): AuditParams {
  let repo: RepoRef;
  try {
    repo = parseRepo(options.repo);
  } catch {
    throw new Error(`--repo must be owner/repo, got ${JSON.stringify(options.repo)}`);
  }
  if (!/^[1-9][0-9]{0,9}$/.test(options.issue)) throw new Error(`--issue must be a positive issue number, got ${JSON.stringify(options.issue)}`);
  const token = options.token ?? env.GITHUB_TOKEN ?? env.GH_TOKEN;
  if (token === undefined || token.trim() === '') {
    throw new Error(`no credentials: set GITHUB_TOKEN (or pass --token) to a token that can read issues of ${options.repo}`);
  }
  const baseUrl = options.baseUrl ?? env.GITHUB_API_URL ?? DEFAULT_BASE_URL;
  if (!/^https?:\/\/[^\s/]+/.test(baseUrl)) throw new Error(`--base-url must be an http(s) URL, got ${JSON.stringify(baseUrl)}`);
  const port = createOctokitPort(createTokenOctokit({ token: token.trim(), baseUrl }));
  return { port, repo, issue: Number(options.issue), ...(options.author !== undefined ? { author: options.author } : {}) };
}
