import { parseMap } from './src/config/parse-map.ts';
import { parseContract } from './src/config/parse-contract.ts';
import { formatProblem, sortProblems } from './src/config/problem.ts';
const m = parseMap({ file: 'unwind/map.yml', text: `
servces: {}
services:
  api:
    repo: acme/api
    depends_on: [db, schemaa]
    tier: 3
  web:
    repo: acme/web
    depends_on: [api]
  db:
    repo: acme/db
    depends_on: [web]
  schema:
    repo: acme/api
  api:
    repo: acme/other
  Bad Name:
    repo: x/y
groups:
  g: [api, webb]
paused: nope
` });
console.log(sortProblems(m.problems).map(formatProblem).join('\n'));
const c = parseContract({ file: '.github/unwind.yml', text: `
_extends: .github
revert:
  merge_metod: squash
  merge_method: squish
  checks_timeout: 5 minutes
auto_revert:
  consecutive_failures: 0
compensations:
  - id: flag
    workflow: flag-off.yml
    idempotency_key: "{rollbak_id}-x"
  - id: flag
    workflow: Turn flag off
    retry: { backoff: 20m, max_backoff: 1m }
  - workflow: .github/workflows/x.yml
` });
console.log(sortProblems(c.problems).map(formatProblem).join('\n'), c.extends);
console.log(parseContract({file:'a', text:''}).contract);
console.log(parseContract({file:'a', text:'a: [1,\n b: 2'}).problems);
