import { describe, expect, it } from 'vitest';
import { formatViolations } from '../../../src/sandbox/contract/format-violations.ts';

describe('formatViolations', () => {
  it('groups messages under their kind and place', () => {
    const text = formatViolations([
      { kind: 'request', where: 'POST /repos/{owner}/{repo}/pulls (pulls/create) request', message: "body must have required property 'base'" },
      { kind: 'webhook', where: 'webhook push', message: "payload must have required property 'ref'" },
      { kind: 'request', where: 'POST /repos/{owner}/{repo}/pulls (pulls/create) request', message: 'body/draft must be boolean' },
    ]);
    expect(text.split('\n')).toEqual([
      '3 OpenAPI contract violations:',
      '  [request] POST /repos/{owner}/{repo}/pulls (pulls/create) request',
      "    - body must have required property 'base'",
      '    - body/draft must be boolean',
      '  [webhook] webhook push',
      "    - payload must have required property 'ref'",
    ]);
  });

  it('says so when there is nothing to report', () => {
    expect(formatViolations([])).toBe('no OpenAPI contract violations');
  });
});
