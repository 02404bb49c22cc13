/**
 * One ledger entry: the hidden, machine-readable record of an append-only comment on a rollback's tracking issue.
 * The zod schema is the single source of the type and of `schemas/ledger-entry.schema.json`.
 */
import { z } from 'zod';
import { ROLLBACK_ID_PATTERN } from '../shared/rollback-id.ts';
import { parseHidden, renderHidden, stripHidden } from './hidden-json.ts';
import type { Keyring } from '../trust/keyring.ts';
import { sealHidden, unsealHidden } from '../trust/seal.ts';

export const LEDGER_ACTIONS = [
  'requested',
  'planned',
  'decision',
  'approval',
  'wave_started',
  'step',
  'wave_completed',
  'escalated',
  'retry',
  'abort',
  'completed',
  'failed',
  'status',
  'compensation',
  'drift',
] as const;

export type LedgerAction = (typeof LEDGER_ACTIONS)[number];

const DecisionSchema = z
  .object({
    allow: z.boolean(),
    pending: z.boolean(),
    reasons: z.array(z.object({ reason: z.string(), enforcement: z.string().min(1) }).strict()),
    engine: z.string().min(1).describe('Which engine decided, e.g. "rego" or "opa-wasm".'),
  })
  .strict();

const LinkSchema = z
  .object({
    rel: z.string().min(1).describe('What the link points to, e.g. "revert_pr", "origin", "tracking_issue".'),
    url: z.url({ protocol: /^https?$/ }).regex(/^https?:\/\//),
  })
  .strict();

const schema = z
  .object({
    v: z.literal(1).describe('Record format version.'),
    rollback_id: z.string().regex(new RegExp(ROLLBACK_ID_PATTERN)),
    seq: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).describe('Position in the ledger; unique per rollback.'),
    at: z.iso.datetime().describe('When it happened, RFC 3339 in UTC (Z).'),
    actor: z.string().min(1).max(100).describe('Login of whoever caused the entry (the app itself for automatic steps).'),
    action: z.enum(LEDGER_ACTIONS),
    decision: DecisionSchema.nullable().optional().describe('The policy decision, when the entry records one.'),
    policy_version: z.string().min(1).nullable().describe('Content hash of the policies in force, or null before any evaluation.'),
    outcome: z.string().describe('Short machine-friendly result, e.g. "allowed", "merged", "conflict".'),
    links: z.array(LinkSchema),
    // zod drops a `__proto__` key here (never assigning it), so a record cannot pollute prototypes.
    details: z.record(z.string(), z.unknown()).describe('Action-specific JSON data.'),
  })
  .strict()
  .meta({ title: 'Unwind ledger entry', description: 'The hidden JSON record carried by every Unwind ledger comment.' });

export type LedgerEntry = z.infer<typeof schema>;
export const LedgerEntrySchema: z.ZodType<LedgerEntry> = schema;

export const LEDGER_TAG = 'ledger';
/** GitHub refuses comment bodies longer than this. */
export const MAX_COMMENT_LENGTH = 65_536;

/**
 * Human markdown `text`, a visible footer naming the entry, and the hidden record, signed for the
 * tracking issue `seal.where` (`owner/repo#N`) when a keyring is given. Throws on an invalid entry.
 */
export function renderLedgerComment(entry: LedgerEntry, text: string, seal?: { keyring: Keyring; where: string }): string {
  // What is recorded is the JSON form of the entry, so that parsing the comment gives back exactly it.
  const checked = LedgerEntrySchema.safeParse(JSON.parse(JSON.stringify(entry)) as unknown);
  if (!checked.success) {
    const where = checked.error.issues.map((i) => `${i.path.join('.') || '(entry)'}: ${i.message}`).join('; ');
    throw new TypeError(`invalid ledger entry: ${where}`);
  }
  const hidden = seal ? sealHidden(LEDGER_TAG, seal.where, checked.data, seal.keyring) : renderHidden(LEDGER_TAG, checked.data);
  const footer = `<sub>${footerLine(checked.data)}</sub>`;
  const room = MAX_COMMENT_LENGTH - hidden.length - footer.length - 4;
  if (room < 0) throw new RangeError(`ledger entry ${entry.rollback_id} #${entry.seq} is too large for a GitHub comment`);
  let visible = stripHidden(text).trim();
  if (visible.length > room) visible = `${visible.slice(0, Math.max(0, room - 20))}\n\n…(truncated)`;
  return `${visible}\n\n${footer}\n${hidden}`;
}

/** The entry recorded in a comment body, signed by `keyring` for the tracking issue `where`; null otherwise. */
export function openLedgerComment(body: string, where: string, keyring: Keyring): LedgerEntry | null {
  const sealed = unsealHidden(LEDGER_TAG, where, body, keyring);
  if (!sealed.ok) return null;
  const parsed = LedgerEntrySchema.safeParse(sealed.value);
  return parsed.success ? parsed.data : null;
}

/** The entry recorded in a comment body, signature NOT checked (exports, display); null when there is none or it does not match the schema. */
export function parseLedgerComment(body: string): LedgerEntry | null {
  const raw = parseHidden(LEDGER_TAG, body);
  if (raw === null) return null;
  const parsed = LedgerEntrySchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

function footerLine(e: LedgerEntry): string {
  const policy = e.policy_version === null ? 'no policy' : `policy \`${shortHash(e.policy_version)}\``;
  return `\`${e.rollback_id}\` · #${e.seq} · ${e.at.replace('T', ' ')} · ${e.action} · ${policy}`;
}

function shortHash(version: string): string {
  const bare = version.includes(':') ? version.slice(version.lastIndexOf(':') + 1) : version;
  return bare.replace(/[`<>\s]/g, '').slice(0, 12) || '?';
}
