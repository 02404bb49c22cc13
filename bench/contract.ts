// Load and compile costs of the OpenAPI contract checker. Run: npx tsx bench/contract.ts
import { createContractChecker } from '../src/sandbox/contract/checker.ts';
import { SANDBOX_WARM_LIST } from '../src/sandbox/contract/sandbox-operations.ts';
import { makePullRequest } from '../test/sandbox/contract/fixtures/github-objects.ts';

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;
const heap0 = process.memoryUsage().heapUsed;

function time<T>(label: string, fn: () => T): T {
  const t0 = performance.now();
  const out = fn();
  console.log(`${label.padEnd(52)} ${(performance.now() - t0).toFixed(1).padStart(8)} ms`);
  return out;
}

function rate(label: string, n: number, fn: () => void): void {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) fn();
  const ms = performance.now() - t0;
  console.log(`${label.padEnd(52)} ${Math.round((n / ms) * 1000).toString().padStart(8)} /s  (${((ms * 1000) / n).toFixed(1)} µs each)`);
}

const checker = time('load spec + normalise + build router', () => createContractChecker());
const s = checker.stats();
console.log(`  parse ${s.parseMs.toFixed(0)} ms, normalise nullable ${s.normalizeMs.toFixed(0)} ms, router ${s.routerMs.toFixed(0)} ms, heap +${mb(process.memoryUsage().heapUsed - heap0)}`);

const pr = makePullRequest(7);
const q = new URLSearchParams('state=open&per_page=100');
time('first request check (Ajv init, coercing + strict)', () =>
  checker.checkRequest({ method: 'POST', path: '/repos/o/r/pulls', query: new URLSearchParams(), body: { title: 't', head: 'h', base: 'main' } }),
);
time('first compile: pulls/get 200 (pull-request)', () => checker.checkResponse({ method: 'GET', path: '/repos/o/r/pulls/7', status: 200, body: pr }));
time('first compile: webhook pull_request.opened', () => checker.checkWebhook('pull_request', 'opened', {}));
time('first compile: webhook check_suite.completed', () => checker.checkWebhook('check_suite', 'completed', {}));
time('first compile: repos/get-content 200 (oneOf)', () => checker.checkResponse({ method: 'GET', path: '/repos/o/r/contents/a', status: 200, body: {} }));
time(`warm SANDBOX_WARM_LIST (${SANDBOX_WARM_LIST.operations!.length} ops, ${SANDBOX_WARM_LIST.webhooks!.length} webhooks)`, () => checker.warm(SANDBOX_WARM_LIST));
console.log(`  ${checker.stats().compiled} validators, compile total ${checker.stats().compileMs.toFixed(0)} ms, Ajv init ${checker.stats().ajvInitMs.toFixed(0)} ms, heap now ${mb(process.memoryUsage().heapUsed)}`);

rate('route GET /repos/o/r/commits/feature%2Fx/status', 20_000, () => checker.route('GET', '/repos/o/r/commits/feature%2Fx/status'));
rate('checkRequest GET pulls (query coerced)', 20_000, () => checker.checkRequest({ method: 'GET', path: '/repos/o/r/pulls', query: q, body: undefined }));
rate('checkResponse pulls/get 200 (valid pull request)', 5_000, () => checker.checkResponse({ method: 'GET', path: '/repos/o/r/pulls/7', status: 200, body: pr }));
rate('checkResponse pulls/get 200 (invalid: described)', 500, () => checker.checkResponse({ method: 'GET', path: '/repos/o/r/pulls/7', status: 200, body: { ...pr, head: null } }));
