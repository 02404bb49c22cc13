/** The sandbox's read-only web pages for its html_urls, and the Markdown they render bodies with. */
import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderMarkdown, sanitizeHtml } from '../../src/sandbox/html/markdown.ts';
import { startTestSandbox, type TestSandbox } from './support/start.ts';

describe('Markdown as GitHub renders it', () => {
  it('renders tables, task lists, links and <details>, and hides HTML comments', () => {
    const html = renderMarkdown([
      '| wave | repo |', '|---|---|', '| 1 | acme/web |', '',
      '- [x] reverted', '- [ ] verified', '',
      'See https://example.com and [the PR](https://example.com/pr/1).', '',
      '<details><summary>Plan</summary>', '', '*three* waves', '', '</details>', '',
      '<!-- unwind:state {"secret":true} -->',
    ].join('\n'));
    expect(html).toContain('<table>');
    expect(html).toContain('<td>acme/web</td>');
    expect(html).toContain('<li class="task-list-item"><input type="checkbox" class="task-list-item-checkbox" disabled checked> reverted</li>');
    expect(html).toContain('<input type="checkbox" class="task-list-item-checkbox" disabled> verified');
    expect(html).toContain('<a href="https://example.com" rel="nofollow noopener">https://example.com</a>');
    expect(renderMarkdown('asked on https://example.com/pull/1: it broke')).toContain('<a href="https://example.com/pull/1" rel="nofollow noopener">https://example.com/pull/1</a>: it broke');
    expect(html).toContain('<details><summary>Plan</summary>');
    expect(html).toContain('<em>three</em>');
    expect(html).not.toContain('unwind:state');
    expect(html).not.toContain('secret');
  });

  it('never lets a body inject markup: scripts, handlers, javascript: links and unknown tags come out as text', () => {
    const html = renderMarkdown('<script>alert(1)</script>\n\nhi <img src=x onerror=alert(1)> <a href="javascript:alert(1)">x</a> [y](javascript:alert(2)) <details open ontoggle=alert(3)>');
    expect(html).not.toMatch(/<script|<img|<a href="javascript|onerror=alert\(1\)>|ontoggle=alert\(3\)>/);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('<details open>');
    expect(sanitizeHtml('<b onclick="x()">bold</b> &nbsp; & <iframe src=//evil>')).toBe('<b>bold</b> &nbsp; &amp; &lt;iframe src=//evil&gt;');
    expect(sanitizeHtml('before <!-- unterminated comment')).toBe('before ');
  });

  it('says so when there is no body', () => {
    expect(renderMarkdown(null)).toContain('No description provided.');
    expect(renderMarkdown('   ')).toContain('No description provided.');
  });
});

// Each case drives a real sandbox: minutes on a loaded machine, not vitest's 60 s default.
describe('sandbox pages', { timeout: 300_000 }, () => {
  let sb: TestSandbox;
  let pr: number;
  let issue: number;
  let mergeSha: string;
  const page = async (path: string, accept = 'text/html'): Promise<{ status: number; type: string; html: string; csp: string }> => {
    const res = await fetch(`${sb.baseUrl}${path}`, { headers: { accept } });
    return { status: res.status, type: res.headers.get('content-type') ?? '', html: await res.text(), csp: res.headers.get('content-security-policy') ?? '' };
  };

  beforeAll(async () => {
    sb = await startTestSandbox({ seedDemo: true });
    const d = sb.driver;
    await d.createRepo('acme', 'secret', { private: true, files: { 'README.md': '# secret\n' } });
    await d.commit('acme', 'web', { branch: 'pricing', files: { 'src/app.js': 'export const version = 3; // <script>\n' }, message: 'web: pricing page\n\nBody of the commit <b>message</b>.', author: 'alice' });
    pr = await d.openPull('alice', 'acme', 'web', { head: 'pricing', title: 'Pricing <script>alert(1)</script>', body: '## Plan\n\n| step | state |\n|---|---|\n| revert | done |\n\n- [x] tested\n\n<!-- hidden -->\n<script>alert(2)</script>' });
    await d.comment('bob', 'acme', 'web', pr, 'Looks good, see <details><summary>log</summary>\n\nall green\n\n</details>');
    await sb.idle();
    issue = await d.createIssue('carol', 'acme', 'web', { title: 'Checkout is down', body: 'It **breaks** at step 2.' });
    mergeSha = await d.mergePull('bob', 'acme', 'web', pr, 'merge');
  }, 600_000);
  afterAll(async () => {
    sb.expectNoViolations();
    await sb.close();
  });

  it('serves the home page, an organization with its repositories and a repository with its commits', async () => {
    const home = await page('/');
    expect(home.status).toBe(200);
    expect(home.html).toContain('href="/acme/web"');
    const org = await page('/acme');
    expect(org.status).toBe(200);
    expect(org.html).toContain('acme/billing');
    expect(org.html).not.toContain('acme/secret'); // private: not for an anonymous visitor
    const repo = await page('/acme/web');
    expect(repo.status).toBe(200);
    expect(repo.type).toBe('text/html; charset=utf-8');
    expect(repo.html).toContain('default branch <strong>main</strong>');
    expect(repo.html).toContain('web: bump version to 2');
    expect(repo.html).toContain(`/acme/web/commit/${mergeSha}`);
    expect(repo.html).toContain('/acme/web/issues/');
    expect(repo.csp).toContain("default-src 'none'");
    expect(repo.html).not.toContain('<script');
    expect((await page('/acme/web/tree/pricing')).html).toContain('showing <strong>pricing</strong>');
    expect((await page('/acme/web/blob/main/src/app.js')).html).toContain('export const version');
    const raw = await page('/acme/web/raw/main/package.json');
    expect(raw.type).toBe('text/plain; charset=utf-8');
    expect(JSON.parse(raw.html)).toEqual({ name: 'web', version: '1.0.0' });
  });

  it('serves a pull request with its rendered body, comments, checks, merge state, commits and diff, all escaped', async () => {
    const p = await page(`/acme/web/pull/${pr}`);
    expect(p.status).toBe(200);
    expect(p.html).toContain('Pricing &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(p.html).not.toMatch(/<script/i);
    expect(p.html).toContain('<h2>Plan</h2>');
    expect(p.html).toContain('<td>revert</td>');
    expect(p.html).toContain('disabled checked> tested');
    expect(p.html).not.toContain('hidden');
    expect(p.html).toContain('<details><summary>log</summary>');
    expect(p.html).toContain('<span class="state merged">Merged</span>');
    expect(p.html).toMatch(/id="merge-state"><div class="body"><strong>merged<\/strong> · Merged as <a class="sha" href="\/acme\/web\/commit\/[0-9a-f]{40}">/);
    expect(p.html).toMatch(/class="check success">✔ success<\/td><td>ci<\/td>/);
    expect(p.html).toContain('web: pricing page');
    expect(p.html).toContain('<span class="add">+export const version = 3; // &lt;script&gt;</span>');
    expect(p.html).toContain('<span class="del">-export const version = 2;</span>');
  });

  it('shows an open pull request whose required check fails as blocked, and says why', async () => {
    const d = sb.driver;
    await d.setCI('acme', 'api', [{ name: 'ci', result: 'failure' }]);
    await d.commit('acme', 'api', { branch: 'slow', files: { 'src/server.js': 'export const port = 9090;\n' }, message: 'api: port 9090', author: 'alice' });
    const n = await d.openPull('alice', 'acme', 'api', { head: 'slow', title: 'Port 9090' });
    await sb.idle();
    const p = await page(`/acme/api/pull/${n}`);
    expect(p.html).toContain('<span class="state open">Open</span>');
    expect(p.html).toMatch(/class="check failure">✖ failure<\/td><td>ci<\/td><td class="meta">check run · required/);
    expect(p.html).toContain('<strong>blocked</strong> · Merging is blocked. Required status check &quot;ci&quot; is failing.');
  });

  it('serves an issue and a commit with its message and diff', async () => {
    const i = await page(`/acme/web/issues/${issue}`);
    expect(i.status).toBe(200);
    expect(i.html).toContain('It <strong>breaks</strong> at step 2.');
    expect(i.html).toContain('<span class="state open">Open</span>');
    const c = await page(`/acme/web/commit/${mergeSha}`);
    expect(c.status).toBe(200);
    expect(c.html).toContain(`Merge pull request #${pr} from acme/pricing`);
    expect(c.html).toContain('src/app.js');
  });

  it('answers 404 pages for what does not exist or is private, and keeps the REST API and git as they are', async () => {
    for (const path of ['/acme/nope', '/acme/web/pull/999', '/acme/web/commit/0000000', '/acme/secret', '/acme/secret/issues/1', '/nobody/x/y']) {
      const p = await page(path);
      expect(p.status, path).toBe(404);
      expect(p.type, path).toContain('text/html');
    }
    // The REST API answers as before, also under /api/v3 and to a client that asks for HTML.
    const octo = new Octokit({ baseUrl: sb.baseUrl });
    const { data: repo } = await octo.rest.repos.get({ owner: 'acme', repo: 'web' });
    expect(repo.html_url).toBe(`${sb.baseUrl}/acme/web`);
    const viaApiPrefix = await fetch(`${sb.baseUrl}/api/v3/repos/acme/web`, { headers: { accept: 'text/html' } });
    expect(viaApiPrefix.headers.get('content-type')).toContain('application/json');
    const refs = await fetch(`${sb.baseUrl}/acme/web.git/info/refs?service=git-upload-pack`);
    expect(refs.status).toBe(200);
    expect(refs.headers.get('content-type')).toBe('application/x-git-upload-pack-advertisement');
    const favicon = await fetch(`${sb.baseUrl}/favicon.ico`);
    expect(favicon.status).toBe(404);
    // Each html_url the API hands out opens a page.
    const { data: pull } = await octo.rest.pulls.get({ owner: 'acme', repo: 'web', pull_number: pr });
    const { data: comments } = await octo.rest.issues.listComments({ owner: 'acme', repo: 'web', issue_number: pr });
    const { data: commit } = await octo.rest.repos.getCommit({ owner: 'acme', repo: 'web', ref: mergeSha });
    for (const url of [pull.html_url, pull.user!.html_url, comments[0].html_url, commit.html_url, repo.owner.html_url]) {
      const res = await fetch(url, { headers: { accept: 'text/html' } });
      expect(res.status, url).toBe(200);
    }
  });
});
