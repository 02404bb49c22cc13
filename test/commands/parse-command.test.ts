import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { helpText, MAX_TARGETS, parseCommand, type ParseContext, type RollbackCommand } from '../../src/commands/parse-command.ts';

const ctx: ParseContext = { authorType: 'User', defaultOwner: 'acme', defaultRepo: 'web' };
const pull = (owner: string, repo: string, number: number) => ({ kind: 'pull' as const, owner, repo, number });
const commit = (owner: string, repo: string, sha: string) => ({ kind: 'commit' as const, owner, repo, sha });
const rollback = (over: Partial<Extract<RollbackCommand, { name: 'rollback' }>> = {}): RollbackCommand => ({
  name: 'rollback',
  targets: [],
  reason: null,
  dryRun: false,
  overrides: [],
  ...over,
});

const commands: Array<[string, RollbackCommand]> = [
  ['/rollback', rollback()],
  ['  /rollback   ', rollback()],
  ['\t/rollback', rollback()],
  ['/Rollback', rollback()],
  ['/rollback #12', rollback({ targets: [pull('acme', 'web', 12)] })],
  ['/rollback api#7', rollback({ targets: [pull('acme', 'api', 7)] })],
  ['/rollback octo/api#7', rollback({ targets: [pull('octo', 'api', 7)] })],
  ['/rollback my-org/my.repo_x#1', rollback({ targets: [pull('my-org', 'my.repo_x', 1)] })],
  ['/rollback octo/api@abcdef1', rollback({ targets: [commit('octo', 'api', 'abcdef1')] })],
  ['/rollback octo/api@ABCDEF1234', rollback({ targets: [commit('octo', 'api', 'abcdef1234')] })],
  [`/rollback octo/api@${'a'.repeat(40)}`, rollback({ targets: [commit('octo', 'api', 'a'.repeat(40))] })],
  ['/rollback https://github.com/octo/api/pull/99', rollback({ targets: [pull('octo', 'api', 99)] })],
  ['/rollback https://ghe.example.com/octo/api/pull/99/files', rollback({ targets: [pull('octo', 'api', 99)] })],
  ['/rollback http://127.0.0.1:3000/octo/api/pull/5#issuecomment-1', rollback({ targets: [pull('octo', 'api', 5)] })],
  ['/rollback https://github.com/octo/api/commit/abcdef12', rollback({ targets: [commit('octo', 'api', 'abcdef12')] })],
  ['/rollback #1 api#2 octo/db#3', rollback({ targets: [pull('acme', 'web', 1), pull('acme', 'api', 2), pull('octo', 'db', 3)] })],
  ['/rollback `#1` `api#2`,', rollback({ targets: [pull('acme', 'web', 1), pull('acme', 'api', 2)] })],
  ['/rollback status `rb-abc12345`', { name: 'status', id: 'rb-abc12345' }],
  ['/rollback #1, #2', rollback({ targets: [pull('acme', 'web', 1), pull('acme', 'web', 2)] })],
  ['/rollback --reason "checkout is down"', rollback({ reason: 'checkout is down' })],
  ["/rollback --reason 'checkout is down'", rollback({ reason: 'checkout is down' })],
  ['/rollback --reason=broken', rollback({ reason: 'broken' })],
  ['/rollback --reason="it\'s broken"', rollback({ reason: "it's broken" })],
  ['/rollback --reason "say \\"no\\""', rollback({ reason: 'say "no"' })],
  ['/rollback --reason \u201csmart quotes\u201d', rollback({ reason: 'smart quotes' })],
  ['/rollback \u2014reason "dash" \u2014dry-run', rollback({ reason: 'dash', dryRun: true })],
  ['/rollback #4 --dry-run', rollback({ targets: [pull('acme', 'web', 4)], dryRun: true })],
  ['/rollback --dry-run #4', rollback({ targets: [pull('acme', 'web', 4)], dryRun: true })],
  ['/rollback --override "on call lead ok" --override=second', rollback({ overrides: ['on call lead ok', 'second'] })],
  ['/rollback --reason "--dry-run is text here"', rollback({ reason: '--dry-run is text here' })],
  ['/rollback --help', { name: 'help' }],
  ['/rollback help', { name: 'help' }],
  ['/rollback plan', { name: 'plan', targets: [], reason: null }],
  ['/rollback plan #3 --reason "why"', { name: 'plan', targets: [pull('acme', 'web', 3)], reason: 'why' }],
  ['/rollback drill octo/api#3', { name: 'drill', targets: [pull('octo', 'api', 3)], reason: null }],
  ['/rollback approve', { name: 'approve', id: null }],
  ['/rollback APPROVE rb-abc12345', { name: 'approve', id: 'rb-abc12345' }],
  ['/rollback approve RB-ABC12345', { name: 'approve', id: 'rb-abc12345' }],
  ['/rollback abort', { name: 'abort', id: null, reason: null }],
  ['/rollback abort rb-0123456789 --reason "false alarm"', { name: 'abort', id: 'rb-0123456789', reason: 'false alarm' }],
  ['/rollback retry rb-zzzzzzzz', { name: 'retry', id: 'rb-zzzzzzzz' }],
  ['/rollback status', { name: 'status', id: null }],
  ['Production is down.\n\n/rollback #9 --reason "incident 42"\n\nthanks', rollback({ targets: [pull('acme', 'web', 9)], reason: 'incident 42' })],
  ['```\n/rollback #1\n```\n/rollback #2', rollback({ targets: [pull('acme', 'web', 2)] })],
  ['> /rollback #1\n/rollback #2', rollback({ targets: [pull('acme', 'web', 2)] })],
  ['<!--\n/rollback #1\n-->\r\n/rollback #2\r\n', rollback({ targets: [pull('acme', 'web', 2)] })],
  ['~~~~\n```\n/rollback #1\n~~~~\n/rollback #2', rollback({ targets: [pull('acme', 'web', 2)] })],
];

describe('parseCommand: commands', () => {
  it.each(commands)('%j', (body, expected) => {
    expect(parseCommand(body, ctx)).toEqual({ kind: 'command', command: expected });
  });
});

const ignored: string[] = [
  '',
  'LGTM',
  'please /rollback this',
  '`/rollback`',
  '/rollbacks are great',
  '/rollback-now',
  '/revert #1',
  '> /rollback #1',
  '  > /rollback',
  '```\n/rollback\n```',
  '```js\n/rollback #1\n',
  '<!-- /rollback #1 -->',
  'text <!-- unterminated\n/rollback',
];

describe('parseCommand: ignored comments', () => {
  it.each(ignored)('%j', (body) => {
    expect(parseCommand(body, ctx)).toEqual({ kind: 'ignore' });
  });
  it('ignores bots, even with a valid command', () => {
    expect(parseCommand('/rollback #1', { ...ctx, authorType: 'Bot' })).toEqual({ kind: 'ignore' });
  });
  it('accepts organizations as authors', () => {
    expect(parseCommand('/rollback status', { ...ctx, authorType: 'Organization' }).kind).toBe('command');
  });
});

/** Each malformed comment must be answered with a message that names the problem (`says`) and shows a usage line. */
const replies: Array<[string, RegExp, string]> = [
  ['/rollback aprove', /unknown command `aprove`; did you mean `\/rollback approve`\?/, '/rollback approve [rb-id]'],
  ['/rollback stauts rb-abc12345', /did you mean `\/rollback status`/, '/rollback status [rb-id]'],
  ['/rollback frobnicate', /unknown command `frobnicate`; the commands are/, '/rollback help'],
  ['/rollback rb-abc12345', /needs a command first.*\/rollback status rb-abc12345/, '/rollback approve [rb-id]'],
  ['/rollback --reasn "x"', /unknown option `--reasn`; did you mean `--reason`\?/, '/rollback [targets…]'],
  ['/rollback --dryrun', /did you mean `--dry-run`/, '/rollback [targets…]'],
  ['/rollback --force', /unknown option `--force`/, '/rollback [targets…]'],
  ['/rollback -f', /unknown option `-f`/, '/rollback [targets…]'],
  ['/rollback approve --reason "x"', /`--reason` does not apply to `\/rollback approve`; it takes no options/, '/rollback approve [rb-id]'],
  ['/rollback plan --dry-run', /`--dry-run` does not apply to `\/rollback plan`; it accepts `--reason`/, '/rollback plan [targets…]'],
  ['/rollback abort --override "x"', /`--override` does not apply/, '/rollback abort [rb-id]'],
  ['/rollback --reason "unterminated', /quote " opened at column 20 is never closed/, '/rollback [targets…]'],
  ["/rollback --reason 'open", /quote ' opened/, '/rollback [targets…]'],
  ['/rollback --reason', /`--reason` needs a value/, '/rollback [targets…]'],
  ['/rollback --reason --dry-run', /`--reason` needs a value/, '/rollback [targets…]'],
  ['/rollback --reason ""', /needs a non-empty value/, '/rollback [targets…]'],
  ['/rollback --reason a --reason b', /`--reason` is given twice/, '/rollback [targets…]'],
  ['/rollback --dry-run --dry-run', /`--dry-run` is given twice/, '/rollback [targets…]'],
  ['/rollback --dry-run=yes', /`--dry-run` takes no value/, '/rollback [targets…]'],
  [`/rollback --reason "${'x'.repeat(1001)}"`, /longer than 1000 characters/, '/rollback [targets…]'],
  ['/rollback --reason broken deploy', /`deploy` is not a target.*put the reason in quotes/, '/rollback [targets…]'],
  ['/rollback #0', /`#0` is not a valid pull request reference/, '/rollback [targets…]'],
  ['/rollback #abc', /not a valid pull request reference/, '/rollback [targets…]'],
  ['/rollback octo/api#', /not a valid pull request reference/, '/rollback [targets…]'],
  ['/rollback -bad/api#1', /unknown option/, '/rollback [targets…]'],
  ['/rollback bad_owner/api#1', /not a valid pull request reference/, '/rollback [targets…]'],
  ['/rollback octo/..#1', /`..` is not a repository name/, '/rollback [targets…]'],
  ['/rollback octo/api@abc', /7 to 40 hexadecimal digits/, '/rollback [targets…]'],
  ['/rollback octo/api@xyz1234', /7 to 40 hexadecimal digits/, '/rollback [targets…]'],
  [`/rollback octo/api@${'a'.repeat(41)}`, /7 to 40 hexadecimal digits/, '/rollback [targets…]'],
  ['/rollback api@abcdef1', /needs the repository, as `owner\/repo@<sha>`/, '/rollback [targets…]'],
  ['/rollback https://github.com/octo/api/issues/3', /not a pull request or commit URL/, '/rollback [targets…]'],
  ['/rollback #99999999999', /not a valid pull request reference|too large/, '/rollback [targets…]'],
  ['/rollback #1 #1', /`#1` names the same target as `#1`/, '/rollback [targets…]'],
  ['/rollback #1 acme/WEB#1', /names the same target/, '/rollback [targets…]'],
  ['/rollback octo/api@abcdef1 octo/api@ABCDEF1', /names the same target/, '/rollback [targets…]'],
  [`/rollback ${Array.from({ length: MAX_TARGETS + 1 }, (_, i) => `#${i + 1}`).join(' ')}`, /at most 50 targets per command, got 51/, '/rollback [targets…]'],
  ['/rollback approve #12', /`\/rollback approve` takes a rollback id, not targets/, '/rollback approve [rb-id]'],
  ['/rollback retry octo/api#1', /takes a rollback id, not targets/, '/rollback retry [rb-id]'],
  ['/rollback status rb-abc12345 rb-def67890', /takes at most one rollback id, got 2/, '/rollback status [rb-id]'],
  ['/rollback abort rb-short', /`rb-short` is not a rollback id/, '/rollback abort [rb-id]'],
  ['/rollback approve 1234', /`1234` is not a rollback id/, '/rollback approve [rb-id]'],
  ['/rollback approve rb-abc_12345', /is not a rollback id/, '/rollback approve [rb-id]'],
  ['/rollback help me', /`\/rollback help` takes no arguments/, '/rollback help'],
  ['/rollback #1\n/rollback #2', /one `\/rollback` command per comment.*lines 1, 2/, '/rollback plan'],
];

describe('parseCommand: replies', () => {
  it.each(replies)('%j', (body, says, usage) => {
    const result = parseCommand(body, ctx);
    expect(result.kind).toBe('reply');
    if (result.kind !== 'reply') return;
    expect(result.message).toMatch(says);
    expect(result.message).toContain(usage);
    expect(result.message).toContain('/rollback help');
  });

  it('never echoes backticks or mentions outside code spans', () => {
    const result = parseCommand('/rollback @everyone`injected`', ctx);
    expect(result.kind).toBe('reply');
    if (result.kind === 'reply') expect(result.message).not.toContain('`injected`');
  });
});

describe('parseCommand: robustness', () => {
  it('never throws and always returns one of the three kinds', () => {
    const pieces = fc.constantFrom('/rollback', ' ', '\n', '#1', 'api#2', 'o/r@abcdef1', '--reason', '"', "'", '\u201c', '--dry-run', '--override', '=', 'approve', 'rb-abcdefgh', '```', '>', '<!--', '-->', '\\', '\u2014');
    const bodies = fc.oneof(fc.string(), fc.array(pieces, { maxLength: 30 }).map((xs) => xs.join('')), fc.array(pieces, { maxLength: 12 }).map((xs) => xs.join(' ')));
    fc.assert(
      fc.property(bodies, (body) => {
        const result = parseCommand(body, ctx);
        expect(['command', 'reply', 'ignore']).toContain(result.kind);
      }),
      { numRuns: 2000 },
    );
  });

  it('does not throw on non-string input', () => {
    expect(parseCommand(undefined as unknown as string, ctx)).toEqual({ kind: 'ignore' });
  });
});

describe('helpText', () => {
  it('lists every command and the target forms', () => {
    const text = helpText();
    for (const name of ['plan', 'approve', 'abort', 'retry', 'status', 'drill', 'help']) expect(text).toContain(`/rollback ${name}`);
    expect(text).toContain('--dry-run');
    expect(text).toContain('owner/repo@<sha>');
  });
});
