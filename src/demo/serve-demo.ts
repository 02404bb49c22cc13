/**
 * `npm run demo -- --serve`: after the demo, what is worth opening and how to act as the demo's people.
 * A fresh merged PR on acme/notify is left for the reader to roll back with a ready command.
 */
import { mergeChangeSet, ONCALL, READER, SRE_LEAD } from './seed-org.ts';
import type { DemoRollback, DemoWorld } from './run-demo.ts';

/** A shell-quoted single argument. */
function sh(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

export async function printServeGuide(world: DemoWorld, run: DemoRollback, say: (line: string) => void): Promise<void> {
  const { sandbox, server } = world;
  const [another] = await mergeChangeSet(sandbox.driver, 'acme', [
    { repo: 'acme/notify', branch: 'digest-emails', title: 'Daily digest emails', files: { 'src/app.txt': 'notify v2 (digests)\n' } },
  ]);
  const base = sandbox.baseUrl;
  const body = JSON.stringify({ body: '/rollback --reason "digest emails go out twice"' });
  say('');
  say('The demo keeps running. Open:');
  say(`  the sandbox (GitHub's pages)    ${base}/acme`);
  if (run.tracking) say(`  the tracking issue (the ledger) ${run.tracking.url}`);
  for (const step of run.state?.steps ?? []) if (step.pr) say(`  revert PR, wave ${step.wave + 1}, ${step.repo.padEnd(12)} ${step.pr.url}`);
  say(`  Unwind's rollbacks page        ${server.url}/rollbacks`);
  say(`  Unwind's metrics (Prometheus)  ${server.url}/metrics`);
  say('');
  if (world.dashboard.auth === 'github') {
    say('/rollbacks asks you to sign in with the sandbox\'s GitHub (the App\'s OAuth flow). The sandbox has no');
    say('passwords: sign in with a login and its personal token. Each person sees the rollbacks of repositories they can read.');
  } else {
    say('/rollbacks is open to anyone who reaches the port (UNWIND_DASHBOARD_AUTH=off); the page says so.');
  }
  for (const [login, role] of [[ONCALL, 'on-call engineer, writes everywhere'], [SRE_LEAD, 'SRE lead, approves'], [READER, 'reads every repository']] as const) {
    if (world.tokens[login]) say(`  ${login.padEnd(6)} token ${world.tokens[login]}   (${role})`);
  }
  say('');
  say(`Act as @${ONCALL}: roll back ${another.repo}#${another.number} (just merged) by commenting on it:`);
  say(`  curl -s -X POST -H ${sh(`Authorization: token ${world.tokens[ONCALL] ?? '<token>'}`)} -H 'Content-Type: application/json' \\`);
  say(`    ${base}/repos/acme/notify/issues/${another.number}/comments -d ${sh(body)}`);
  say(`then watch ${base}/acme/notify/pull/${another.number} and ${server.url}/rollbacks.`);
  say(`Any REST call works the same way (base URL ${base}, e.g. gh or Octokit with a token above).`);
  say('');
  say('Press Ctrl-C to stop.');
}
