/**
 * Findings of the contract checker that are GitHub's own behaviour, not sandbox bugs. Keep this tiny.
 *
 * Bot commit identities: GitHub writes bot commits as `<id>+<slug>[bot]@users.noreply.github.com`
 * (e.g. `41898282+github-actions[bot]@users.noreply.github.com`) and sends those addresses in `push`,
 * `status` and check payloads, but the spec marks these fields `format: email`, which rejects `[`/`]`.
 */
import type { Violation } from './types.ts';

const BOT_EMAIL = /must match format "email" \(got "\d+\+[A-Za-z0-9-]+\[bot\]@users\.noreply\.github\.com"\)/;

/**
 * Labels without a description: GitHub returns `"description": null` everywhere, and the spec's own
 * `label` component says nullable, but `pull-request-simple` (pulls/list) inlines `labels[].description`
 * as a plain string. A mistake of the description, not of the sandbox.
 */
const NULL_LABEL_DESCRIPTION = /(^|\/)labels\/\d+\/description must be string \(got null\)$/;

export function isKnownDeviation(v: Violation): boolean {
  return BOT_EMAIL.test(v.message) || (v.kind === 'response' && NULL_LABEL_DESCRIPTION.test(v.message));
}
