/**
 * Unwind driven into GitHub's secondary limits on purpose: the sandbox enforces limits far below the
 * published ones (which Unwind's pacer believes), so requests are refused with 403/429 and `retry-after`.
 * Unwind waits, sends them again, and the rollback completes with every effect exactly once: one tracking
 * issue, one revert PR per repository (merged once), one origin reply, each ledger entry once. One case per
 * limit (concurrency, content per minute, content per hour, REST points), each over windows of seconds; the
 * waits are for the rollback's end (checked after each burst of activity), never for a fixed time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeChangeSet, ONCALL } from '../../src/demo/seed-org.ts';
import { useRealisticLimits, type SecondaryLimitKind, type SecondaryLimitOptions } from '../../src/sandbox/http/secondary-limits.ts';
import { commentsOn, ledgerOf, seed, startWorld, trackingIssues, type World } from './support/world.ts';

let world: World;
beforeAll(async () => {
  world = await startWorld();
  // Pacing on (by the published limits), against a sandbox whose limits are much lower.
  await world.server.close();
  await world.startUnwind({ throttle: true } as never);
}, 120_000);
afterAll(async () => {
  useRealisticLimits(world.sandbox, null);
  await world?.close();
});

/** Waits for the rollback tracked in `org/repo` to end, checking after each burst of activity. */
async function ended(org: string, repo: string): Promise<string> {
  const deadline = Date.now() + 540_000;
  for (;;) {
    await world.sandbox.idle();
    await world.server.unwind.idle();
    const [tracking] = trackingIssues(world, org, repo);
    if (tracking && tracking.state.status !== 'running') return tracking.state.status;
    if (Date.now() > deadline) throw new Error(`the rollback in ${org}/${repo} did not end within 540 s (status ${tracking?.state.status ?? 'no tracking issue'})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// Each limit far below GitHub's, over windows of seconds. Content per minute once hung past 540 s: every
// refused request woke with the others when `retry-after` ran out, all but one were refused again, and each
// refusal doubled the installation's pause (4, 8, 16, 32 … s); now a named wait is kept exactly and the
// refused requests go single file (src/github/pacing/single-file.ts).
const cases: Array<[SecondaryLimitKind, Partial<SecondaryLimitOptions>]> = [
  ['concurrency', { concurrency: 1 }],
  ['content-minute', { contentPerMinute: 1, minuteMs: 8_000 }],
  ['content-hour', { contentPerHour: 2, hourMs: 8_000 }],
  // About 100 requests (reads 1 point, writes 5) against 30 points per 10 s. (60 per 4 s was never
  // reached on a loaded machine, where the same requests spread over more time: the start alone, some
  // 60 points within seconds of the command, exceeds 30 however slow the machine.)
  ['rest-points', { restPointsPerMinute: 30, minuteMs: 10_000 }],
  // GitHub may answer a secondary limit with 429: the pacer waits it out as asked, rather than Octokit's
  // retries sending the request again after a quarter of a second.
  ['concurrency', { concurrency: 1, status: 429 }],
];

describe('secondary limits hit on purpose', () => {
  it.each(cases)('%s %o: Unwind waits out the answers and completes, each effect exactly once', async (kind, limits) => {
    const org = `lim-${kind}${limits.status ? `-${limits.status}` : ''}`;
    await seed(world, {
      org,
      services: [
        { name: 'web', repo: `${org}/web`, dependsOn: ['api'], waitFor: ['ci'] },
        { name: 'api', repo: `${org}/api`, waitFor: ['ci'] },
      ],
      ci: [{ name: 'ci', result: 'success', delayMs: 50 }],
    });
    const d = world.sandbox.driver;
    const merged = await mergeChangeSet(d, org, [
      { repo: `${org}/api`, branch: 'change', title: 'Change api', files: { 'src/app.txt': 'api v2\n' } },
      { repo: `${org}/web`, branch: 'change', title: 'Change web', files: { 'src/app.txt': 'web v2\n' }, dependsOn: [0] },
    ]);
    await world.settle();
    const pullsBefore = { api: d.listPulls(org, 'api').length, web: d.listPulls(org, 'web').length };
    const limiter = useRealisticLimits(world.sandbox, limits);

    await d.comment(ONCALL, org, 'api', merged[0]!.number, '/rollback --reason "limits"');
    expect(await ended(org, 'api')).toBe('completed');
    const answers = limiter.answers();
    useRealisticLimits(world.sandbox, null);

    // The limit was really hit, and waited out.
    expect(answers[kind]).toBeGreaterThan(0);
    expect(world.server.pacingStats().pacer?.limitAnswers).toBeGreaterThan(0);
    // Exactly once: one tracking issue, one revert PR per repository (merged), one reply on the origin.
    const trackings = trackingIssues(world, org, 'api');
    expect(trackings).toHaveLength(1);
    const [tracking] = trackings;
    for (const repo of ['api', 'web'] as const) {
      const reverts = d.listPulls(org, repo).slice(pullsBefore[repo]);
      expect(reverts, `${repo}: revert PRs`).toHaveLength(1);
      expect(reverts[0]!.merged).toBe(true);
    }
    const ledger = ledgerOf(world, org, 'api', tracking!.number);
    expect(ledger.map((e) => e.seq)).toEqual(ledger.map((_, i) => i + 1));
    const kinds = ledger.map((e) => e.action);
    expect(kinds.filter((k) => k === 'requested')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'completed')).toHaveLength(1);
    expect(new Set(ledger.map((e) => JSON.stringify({ ...e, seq: 0, at: '' }))).size).toBe(ledger.length);
    const replies = commentsOn(world, org, 'api', merged[0]!.number).filter((b) => b.includes(`/issues/${tracking!.number}`));
    expect(replies).toHaveLength(1);
  }, 600_000);
});
