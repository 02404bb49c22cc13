/**
 * What a person sees, in a real browser: headless Chromium (Debian's /usr/bin/chromium, driven by
 * playwright-core) opens the sandbox's tracking issue and revert PR pages and Unwind's /rollbacks
 * during and after the demo's rollback, signs in through the App's OAuth flow as demo people, and
 * checks the wave table, the step states, that every link leads somewhere, and that a private
 * repository's rollback is hidden from a person who cannot read it. Screenshots go to a temp dir.
 */
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTrackingState } from '../../src/execution/tracking-issue.ts';
import type { RollbackState } from '../../src/execution/state.ts';
import { runDemoRollback, startDemoWorld, type DemoWorld } from '../../src/demo/run-demo.ts';
import { mergeChangeSet, ONCALL, READER, seedOrg, SRE_LEAD } from '../../src/demo/seed-org.ts';

const CHROMIUM = '/usr/bin/chromium';
const SLOW_MS = 600_000;

let browser: Browser;
let world: DemoWorld;
let shots: string;
const seen: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: the browser tests need Debian's chromium package (apt-get install chromium; .ci/run installs it)`);
  }
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  world = await startDemoWorld({ dashboardAuth: 'on' });
  shots = await mkdtemp(join(tmpdir(), 'unwind-browser-'));
  console.log(`browser test screenshots: ${shots}`);
}, SLOW_MS);

afterAll(async () => {
  await browser?.close();
  await world?.close();
  if (seen.length) console.log(`screenshots saved in ${shots}:\n${seen.map((s) => `  ${s}`).join('\n')}`);
});

async function snap(page: Page, name: string): Promise<void> {
  const file = join(shots, `${String(seen.length + 1).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  seen.push(file);
}

/** Opens /rollbacks in a fresh browser context and signs in on the sandbox's authorize page as `login`. */
async function signIn(login: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${world.server.url}/rollbacks`);
  // Unwind sent the browser to the sandbox's GitHub authorize page.
  expect(page.url()).toContain(`${world.sandbox.baseUrl}/login/oauth/authorize?`);
  await expect.poll(() => page.locator('h1').innerText()).toContain('Authorize');
  await page.fill('#login', login);
  await page.fill('#token', world.tokens[login]);
  await Promise.all([page.waitForURL(`${world.server.url}/rollbacks`), page.click('#authorize')]);
  expect(await page.locator('#access').innerText()).toContain(`Signed in with GitHub as ${login}`);
  return { context, page };
}

/** Every link on the page answers 200 (fetched with the page's cookies). */
async function expectLinksLeadSomewhere(page: Page): Promise<number> {
  const hrefs = await page.locator('a[href]').evaluateAll((as) => as.map((a) => (a as unknown as { href: string }).href));
  const unique = [...new Set(hrefs.map((h) => h.replace(/#.*$/, '')))];
  for (const href of unique) {
    const res = await page.request.get(href, { maxRedirects: 0 });
    expect.soft(res.status(), href).toBe(200);
  }
  return unique.length;
}

async function stepRows(page: Page, id: string): Promise<Array<{ repo: string; state: string }>> {
  return page.locator(`section#${id} tr.step`).evaluateAll((rows) =>
    rows.map((r) => ({ repo: r.getAttribute('data-repo') ?? '', state: r.querySelector('td.status')?.textContent ?? '' })),
  );
}

/** A rollback of a PR in globex/vault, a private repository the reader cannot read. */
async function privateRollback(): Promise<RollbackState> {
  const d = world.sandbox.driver;
  await seedOrg(d, { org: 'globex', services: [{ name: 'vault', repo: 'globex/vault', private: true, waitFor: ['ci'] }], ci: [{ name: 'ci', result: 'success', delayMs: 50 }] });
  const [change] = await mergeChangeSet(d, 'globex', [{ repo: 'globex/vault', branch: 'rotate', title: 'Rotate secrets weekly', files: { 'src/app.txt': 'vault v2\n' } }]);
  await world.server.unwind.ready;
  await d.comment(ONCALL, 'globex', 'vault', change.number, '/rollback --reason "secrets rotated too early"');
  let state: RollbackState | null = null;
  await expect
    .poll(
      (): string | undefined => {
        state = findTracking('globex', 'vault');
        return state?.status;
      },
      { timeout: SLOW_MS, interval: 250 },
    )
    .toBe('completed');
  return state!;
}

function findTracking(owner: string, repo: string): RollbackState | null {
  for (let n = 1; n < 100; n++) {
    let issue;
    try {
      issue = world.sandbox.driver.getIssue(owner, repo, n);
    } catch {
      return null;
    }
    if (issue.labels.includes('unwind:rollback')) return parseTrackingState(issue.body ?? '');
  }
  return null;
}

describe('in a browser', () => {
  it('shows the tracking issue, a revert PR and /rollbacks during and after the demo rollback, to signed-in people only as far as they can read', async () => {
    const vault = await privateRollback();

    // The reader signs in through the App's OAuth flow (the sandbox's authorize page).
    const carol = await signIn(READER);
    const during: string[] = [];
    const run = await runDemoRollback(world, {
      out: () => {},
      timeoutMs: SLOW_MS,
      async beforeApprove({ state, tracking }) {
        // While the rollback waits for the SRE lead: the tracking issue as GitHub would render it.
        const page = await carol.context.newPage();
        await page.goto(tracking.url);
        await expect.poll(() => page.locator('h1').innerText()).toContain(`Rollback ${state.id}`);
        const body = await page.locator('#issue-body').innerText();
        expect(body).toContain('acme/web');
        expect(body).not.toContain('unwind:state'); // the hidden machine state stays hidden
        expect(await page.locator('#issue-body table').count()).toBeGreaterThan(0);
        await snap(page, 'tracking-issue-awaiting-approval');
        // /rollbacks shows it waiting, with its three waves planned.
        // (The page lists what the registry knows: the tracking issue is recorded there just after it is opened,
        // so a page loaded in between does not show it yet. Reload until it does.)
        await expect
          .poll(
            async () => {
              await carol.page.reload();
              return carol.page.locator(`section#${state.id} .status`).first().innerText({ timeout: 2_000 }).catch(() => 'not shown yet');
            },
            { timeout: 120_000, interval: 250 },
          )
          .toBe('awaiting approval');
        expect(await stepRows(carol.page, state.id)).toEqual([
          { repo: 'acme/web', state: 'planned' },
          { repo: 'acme/api', state: 'planned' },
          { repo: 'acme/billing', state: 'planned' },
        ]);
        expect(await carol.page.locator(`#${state.id}-waiting`).innerText()).toContain('waiting for 1 approval(s) from team sre');
        await snap(carol.page, 'rollbacks-awaiting-approval');
        during.push('approval');
        await page.close();
      },
      async onState(state) {
        // The first revert PR, while its wave runs.
        const step = state.steps.find((s) => s.pr);
        if (!step?.pr || during.includes('pr') || state.status !== 'running') return;
        during.push('pr');
        const page = await carol.context.newPage();
        await page.goto(step.pr.url);
        expect(await page.locator('h1').innerText()).toContain(`#${step.pr.number}`);
        expect(await page.locator('.checks').innerText()).toContain('ci');
        await snap(page, 'revert-pr-during');
        await page.close();
      },
    });
    expect(run.status).toBe('completed');
    expect(during).toEqual(['approval', 'pr']);
    const id = run.state!.id;

    // After: every step verified, the waves in order, the private rollback hidden from the reader.
    // (The page keeps its listing for 5 s, and the rollback may end within 5 s of the listing taken while it waited
    // for approval. Reload until the page shows the end.)
    await expect
      .poll(
        async () => {
          await carol.page.reload();
          return carol.page.locator(`section#${id} .status`).first().innerText({ timeout: 2_000 }).catch(() => 'not shown');
        },
        { timeout: 120_000, interval: 250 },
      )
      .toBe('completed');
    const rows = await stepRows(carol.page, id);
    expect(rows.map((r) => r.repo)).toEqual(['acme/web', 'acme/api', 'acme/billing']);
    for (const r of rows) expect(r.state).toBe('verified');
    expect(await carol.page.locator('tr.wave').allInnerTexts()).toEqual(expect.arrayContaining([expect.stringContaining('Wave 1 of 3'), expect.stringContaining('Wave 3 of 3')]));
    expect(await carol.page.locator(`section#${vault.id}`).count()).toBe(0);
    expect(await carol.page.content()).not.toContain('globex');
    expect(await carol.page.locator('#access').innerText()).toContain('1 other rollback(s) involve repositories you cannot read');
    await snap(carol.page, 'rollbacks-after-as-reader');
    expect(await expectLinksLeadSomewhere(carol.page)).toBeGreaterThan(5);

    // The revert PR of the first wave, merged, with its checks; reached by its link.
    await Promise.all([carol.page.waitForURL(/\/acme\/web\/pull\/\d+$/), carol.page.locator(`section#${id} tr.step[data-repo="acme/web"] a[href*="/pull/"]`).click()]);
    expect(await carol.page.locator('.state').first().innerText()).toBe('Merged');
    expect(await carol.page.locator('#merge-state').innerText()).toContain('merged');
    expect(await carol.page.locator('p.meta', { hasText: 'commit(s) into' }).innerText()).toMatch(/unwind\[bot\] merged 1 commit\(s\) into main from revert-\d+-/);
    expect(await carol.page.locator('.checks').innerText()).toMatch(/success\s+ci/);
    expect(await carol.page.locator('.file .diff').first().innerText()).toContain('web v1');
    await snap(carol.page, 'revert-pr-after');
    await carol.page.goBack();

    // The tracking issue after: its ledger entries as comments.
    await Promise.all([carol.page.waitForURL(/\/acme\/billing\/issues\/\d+$/), carol.page.locator(`section#${id} a[href$="/issues/${run.tracking!.number}"]`).first().click()]);
    expect(await carol.page.locator('.comment').count()).toBeGreaterThanOrEqual(4);
    const after = await carol.page.locator('body').innerText();
    expect(after).toContain('completed');
    // Who may approve, in words (not "teams [sre] or users []"); the plan under one heading.
    expect(after).toContain('need 1 approval(s) from team sre;');
    expect(after.match(/Rollback plan/g)).toHaveLength(1);
    expect(after).not.toMatch(/^Plan$/m);
    await snap(carol.page, 'tracking-issue-after');
    expect(await expectLinksLeadSomewhere(carol.page)).toBeGreaterThan(3);

    // The reader cannot open the private repository's pages on the sandbox either.
    const hidden = await carol.page.request.get(`${world.sandbox.baseUrl}/globex/vault`);
    expect(hidden.status()).toBe(404);
    await carol.context.close();

    // The SRE lead can read globex/vault and sees both rollbacks.
    const bob = await signIn(SRE_LEAD);
    expect(await bob.page.locator(`section#${vault.id}`).count()).toBe(1);
    expect(await bob.page.locator(`section#${id}`).count()).toBe(1);
    expect(await bob.page.locator(`section#${vault.id} tr.step`).first().getAttribute('data-repo')).toBe('globex/vault');
    await snap(bob.page, 'rollbacks-after-as-sre-lead');
    // Signing out ends the session: /rollbacks sends the browser back to GitHub.
    await bob.page.click('#access button');
    await bob.page.goto(`${world.server.url}/rollbacks`);
    expect(bob.page.url()).toContain('/login/oauth/authorize?');
    await bob.context.close();
  }, SLOW_MS * 3);
});
