/** The impact report as Markdown (check runs) and as plain text (the CLI). User text goes through mdText. */
import { mdText } from '../../shared/markdown.ts';
import { describeOutcome, type ImpactReport } from './compare-decisions.ts';

export function renderImpactMarkdown(r: ImpactReport, opts: { skipped: number }): string {
  const lines = [`### Policy impact on the last ${r.rows.length} rollback(s)`, ''];
  if (r.head.failure) lines.push(`The changed policies do not load, so every decision would be a deny: ${mdText(r.head.failure)}`, '');
  if (r.flips.length === 0) lines.push(`No recorded decision would change (policy \`${short(r.base.version)}\` → \`${short(r.head.version)}\`).`);
  else {
    lines.push(`**${r.flips.length} decision(s) would change** (policy \`${short(r.base.version)}\` → \`${short(r.head.version)}\`):`, '', '| rollback | decided | now | with this change | what changes |', '|---|---|---|---|---|');
    for (const f of r.flips) {
      const name = f.url ? `[\`${f.rollbackId}\`](${f.url})` : `\`${f.rollbackId}\``;
      lines.push(`| ${name} | ${f.at.slice(0, 16).replace('T', ' ')} | ${mdText(describeOutcome(f.base))} | ${mdText(describeOutcome(f.head))} | ${mdText(f.change)} |`);
    }
  }
  if (opts.skipped) lines.push('', `${opts.skipped} older rollback(s) were left out: their ledger does not record the policy input.`);
  return lines.join('\n');
}

export function renderImpactText(r: ImpactReport, opts: { skipped: number }): string {
  const lines = [`policy ${short(r.base.version)} -> ${short(r.head.version)}: ${r.rows.length} decision(s) replayed, ${r.flips.length} would change`];
  if (r.base.failure) lines.push(`base policies do not load: ${r.base.failure}`);
  if (r.head.failure) lines.push(`head policies do not load: ${r.head.failure}`);
  for (const f of r.flips) lines.push(`${f.rollbackId}  ${f.at}  ${describeOutcome(f.base)} -> ${describeOutcome(f.head)}  (${f.change})${f.url ? `  ${f.url}` : ''}`);
  if (opts.skipped) lines.push(`${opts.skipped} rollback(s) skipped: no policy input recorded`);
  return `${lines.join('\n')}\n`;
}

function short(version: string): string {
  const bare = version.includes(':') ? version.slice(version.lastIndexOf(':') + 1) : version;
  return bare.slice(0, 12);
}
