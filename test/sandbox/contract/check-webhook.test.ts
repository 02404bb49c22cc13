import { beforeAll, describe, expect, it } from 'vitest';
import { createContractChecker, type ContractChecker, type Violation } from '../../../src/sandbox/contract/checker.ts';
import { makePullRequest, makeRepository, makeUser } from './fixtures/github-objects.ts';

let checker: ContractChecker;
beforeAll(() => {
  checker = createContractChecker();
});

const messages = (vs: Violation[]) => vs.map((v) => v.message);

function pullRequestOpened() {
  const owner = makeUser('octo', 1, 'Organization');
  return {
    action: 'opened',
    number: 7,
    pull_request: makePullRequest(7),
    repository: makeRepository(owner, 'hello', 10),
    sender: makeUser('unwind[bot]', 3, 'Bot'),
    installation: { id: 5, node_id: 'I_5' },
  };
}

describe('checkWebhook', () => {
  it('accepts a pull_request.opened built from REST objects', () => {
    expect(checker.checkWebhook('pull_request', 'opened', pullRequestOpened())).toEqual([]);
  });

  it('reports a malformed pull_request.opened with paths into the payload', () => {
    const payload = pullRequestOpened() as Record<string, unknown>;
    delete payload.repository;
    payload.number = '7';
    payload.pull_request = { ...makePullRequest(7), state: 'draft', head: { ref: 'x' } };
    const vs = checker.checkWebhook('pull_request', 'opened', payload);
    expect(new Set(vs.map((v) => `${v.kind} ${v.where}`))).toEqual(new Set(['webhook webhook pull_request.opened']));
    const got = messages(vs);
    expect(got).toContain("payload must have required property 'repository'");
    expect(got).toContain('payload/number must be integer (got "7")');
    expect(got).toContain("payload/pull_request/head must have required property 'sha'");
    expect(got.some((m) => m.startsWith('payload/pull_request/state must be one of'))).toBe(true);
  });

  it('reports a payload whose action differs from the delivery', () => {
    const vs = checker.checkWebhook('pull_request', 'closed', pullRequestOpened());
    expect(messages(vs)[0]).toBe('payload/action is "opened" but the delivery is pull_request.closed');
  });

  it('maps events with underscores and events without action', () => {
    // The payloads are empty on purpose: the errors prove which schema was picked.
    expect(messages(checker.checkWebhook('push', undefined, {}))).toContain("payload must have required property 'ref'");
    expect(messages(checker.checkWebhook('status', undefined, {}))).toContain("payload must have required property 'state'");
    expect(messages(checker.checkWebhook('check_suite', 'completed', {}))).toContain("payload must have required property 'check_suite'");
    expect(messages(checker.checkWebhook('check_run', 'requested_action', { action: 'completed' }))).toContain(
      'payload/action must be one of: "requested_action" (got "completed")',
    );
    expect(messages(checker.checkWebhook('issue_comment', 'created', {}))).toContain("payload must have required property 'comment'");
  });

  it("uses the payload's action when none is given", () => {
    expect(checker.checkWebhook('pull_request', undefined, pullRequestOpened())).toEqual([]);
    const vs = checker.checkWebhook('pull_request', undefined, { ...pullRequestOpened(), number: 'seven' });
    expect(vs.map((v) => `${v.where}: ${v.message}`)).toEqual(['webhook pull_request.opened: payload/number must be integer (got "seven")']);
  });

  it('reports webhooks that GitHub does not send', () => {
    expect(checker.checkWebhook('pull_request', 'merged', {})).toEqual([
      { kind: 'webhook', where: 'webhook pull_request.merged', message: "GitHub's OpenAPI description has no webhook pull_request.merged in x-webhooks" },
    ]);
    expect(checker.checkWebhook('push', 'created', {})).toHaveLength(1);
  });
});
