import { runValidate } from './src/cli/commands/validate.ts';
import { runPlan } from './src/cli/commands/plan.ts';
const v = await runValidate({ orgConfig: 'test/fixtures/config/org', files: ['test/fixtures/config/bad/map.yml', 'test/fixtures/config/bad/unwind.yml'] });
console.log(v.output, v.exitCode);
const p = runPlan({ map: 'test/fixtures/config/org/unwind/map.yml', contracts: 'test/fixtures/config/contracts', links: 'test/fixtures/config/links.json', targets: ['acme/schema#3'], now: new Date('2025-03-02T00:00:00Z') });
console.log(p.output, p.exitCode);
