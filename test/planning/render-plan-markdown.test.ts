import { describe, expect, it } from 'vitest';
import { planRollback } from '../../src/planning/plan-rollback.ts';
import { renderPlanMarkdown } from '../../src/planning/render-plan-markdown.ts';
import { MapSchema } from '../../src/config/map-schema.ts';
import { acme, NOW, pull } from './scenario.ts';

describe('renderPlanMarkdown', () => {
  it('renders waves, steps, compensations and warnings', () => {
    const { map, contracts, pulls } = acme();
    const r = planRollback({ targets: ['acme/schema#3'], map, contracts, pulls, now: NOW });
    const md = renderPlanMarkdown(r.plan!, { warnings: r.warnings });
    expect(md).toContain('3 wave(s), 4 step(s) in 4 repo(s): 5 PR(s), 0 commit(s), 1 compensation(s).');
    expect(md.indexOf('#### Wave 1')).toBeLessThan(md.indexOf('#### Wave 2'));
    expect(md).toContain('| 2.1 | acme/api | api | #13 Expose status filter _(dependent)_<br>#12 Use orders.status _(dependent)_ | merge | `ci`, `integration` | — |');
    expect(md).toContain('`down-migration` before revert (`.github/workflows/down-migration.yml`, on failure: escalate)');
    expect(md).toContain('- acme/web\\#41 depends on acme/api\\#12 but is not merged');
    expect(renderPlanMarkdown(r.plan!, { warnings: r.warnings })).toBe(md);
  });

  it('neutralises table breaks, HTML and mentions in PR titles', () => {
    const map = MapSchema.parse({ services: { a: { repo: 'o/a' } } });
    const r = planRollback({ targets: ['o/a#1'], map, contracts: new Map(), pulls: [pull('o/a', 1, { title: 'x | y <script> @admin', url: 'https://github.com/o/a/pull/1' })], now: NOW });
    const md = renderPlanMarkdown(r.plan!);
    expect(md).toContain('[#1](https://github.com/o/a/pull/1) x \\| y &lt;script&gt; @\u200badmin');
    expect(md).not.toContain('<script>');
  });
});
