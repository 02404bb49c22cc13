import { Command } from 'commander';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditParams, register } from '../../src/cli/commands/audit.ts';
import { renderLedgerComment } from '../../src/ledger/entry.ts';
import { sampleEntry } from '../ledger/arbitraries.ts';

/** A loopback stand-in for GitHub's issue-comments endpoint: 250 comments served 100 per page with Link headers. */
const TOTAL = 250;
const seen: { auth: string[] } = { auth: [] };
let server: Server;
let baseUrl: string;

function commentAt(i: number) {
  const bot = i % 2 === 0;
  const body = bot ? renderLedgerComment(sampleEntry({ seq: TOTAL - i }), `entry ${i}`) : `human comment ${i}`;
  return {
    id: 1000 + i,
    body,
    user: { login: bot ? 'unwind[bot]' : 'alice', type: bot ? 'Bot' : 'User' },
    created_at: '2025-03-04T05:06:07Z',
    html_url: `https://example.test/c/${i}`,
  };
}

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.auth.push(req.headers.authorization ?? '');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/repos/acme/web/issues/7/comments') {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'Not Found' }));
      return;
    }
    const perPage = Number(url.searchParams.get('per_page') ?? 30);
    const page = Number(url.searchParams.get('page') ?? 1);
    const items = Array.from({ length: TOTAL }, (_, i) => commentAt(i)).slice((page - 1) * perPage, page * perPage);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (page * perPage < TOTAL) headers.link = `<${baseUrl}${url.pathname}?per_page=${perPage}&page=${page + 1}>; rel="next"`;
    res.writeHead(200, headers).end(JSON.stringify(items));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function runAudit(args: string[]): Promise<{ stdout: string }> {
  const program = new Command('unwind').exitOverride();
  register(program);
  let stdout = '';
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string) => {
    stdout += chunk;
    return true;
  }) as typeof process.stdout.write;
  try {
    await program.parseAsync(['node', 'unwind', 'audit', ...args]);
  } finally {
    process.stdout.write = write;
  }
  return { stdout };
}

describe('unwind audit', () => {
  it('exports every page of the ledger as JSON Lines sorted by seq', async () => {
    const { stdout } = await runAudit(['--repo', 'acme/web', '--issue', '7', '--base-url', baseUrl, '--token', 'tok-123']);
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(TOTAL / 2);
    const seqs = lines.map((l) => (JSON.parse(l) as { seq: number }).seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(seqs[0]).toBe(TOTAL - 248);
    expect(seen.auth.at(-1)).toBe('token tok-123');
  });

  it('writes to --out and honours --author', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'unwind-audit-'));
    try {
      const out = join(dir, 'ledger.jsonl');
      await runAudit(['--repo', 'acme/web', '--issue', '7', '--base-url', baseUrl, '--token', 't', '--out', out, '--author', 'someone-else[bot]']);
      expect(readFileSync(out, 'utf8')).toBe('');
      await runAudit(['--repo', 'acme/web', '--issue', '7', '--base-url', baseUrl, '--token', 't', '--out', out, '--author', 'unwind[bot]']);
      expect(readFileSync(out, 'utf8').trimEnd().split('\n')).toHaveLength(TOTAL / 2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails clearly without credentials or with bad options, and on a missing issue', async () => {
    expect(() => auditParams({ repo: 'acme/web', issue: '7' }, {})).toThrow(/no credentials: set GITHUB_TOKEN \(or pass --token\)/);
    expect(() => auditParams({ repo: 'acme', issue: '7', token: 't' }, {})).toThrow(/--repo must be owner\/repo/);
    expect(() => auditParams({ repo: 'acme/web', issue: '0', token: 't' }, {})).toThrow(/--issue must be a positive issue number/);
    expect(() => auditParams({ repo: 'acme/web', issue: '7', token: 't', baseUrl: 'ftp://x' }, {})).toThrow(/--base-url/);
    expect(auditParams({ repo: 'acme/web', issue: '7' }, { GITHUB_TOKEN: 'env-token' }).issue).toBe(7);
    await expect(runAudit(['--repo', 'acme/web', '--issue', '8', '--base-url', baseUrl, '--token', 'secret-tok'])).rejects.toThrow(
      /GitHub GET \/repos\/\{owner\}\/\{repo\}\/issues\/\{issue_number\}\/comments answered 404: Not Found/,
    );
    await expect(runAudit(['--repo', 'acme/web', '--issue', '8', '--base-url', baseUrl, '--token', 'secret-tok'])).rejects.not.toThrow(/secret-tok/);
  });

  it('has --help', () => {
    const program = new Command('unwind');
    register(program);
    const help = program.commands.find((c) => c.name() === 'audit')?.helpInformation() ?? '';
    for (const option of ['--repo', '--issue', '--base-url', '--token', '--out', '--author', 'GITHUB_TOKEN']) expect(help).toContain(option);
  });
});
