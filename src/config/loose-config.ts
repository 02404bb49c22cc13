/**
 * Best-effort readings of a contract or map that failed its schema, so semantic rules still run and all
 * problems are reported together. Values of the wrong type fall back to their defaults (the schema has
 * already reported them); nothing here is ever used to act, only to check.
 */
import type { Compensation, Contract } from './contract-schema.ts';
import { defaultContract } from './contract-schema.ts';
import type { DependencyMap, ServiceEntry } from './map-schema.ts';

type Obj = Record<string, unknown>;

const obj = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const str = (v: unknown, d: string): string => (typeof v === 'string' ? v : d);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

export function looseContract(raw: unknown): Contract {
  const d = defaultContract();
  const r = obj(raw);
  const revert = obj(r.revert);
  const auto = obj(r.auto_revert);
  return {
    ...d,
    revert: { ...d.revert, checks_timeout: str(revert.checks_timeout, d.revert.checks_timeout) },
    auto_revert: { ...d.auto_revert, max_culprit_age: str(auto.max_culprit_age, d.auto_revert.max_culprit_age) },
    compensations: (Array.isArray(r.compensations) ? r.compensations : []).map((item): Compensation => {
      const c = obj(item);
      const retry = obj(c.retry);
      return {
        id: str(c.id, ''),
        workflow: str(c.workflow, ''),
        ref: '',
        inputs: {},
        when: 'before_revert',
        idempotency_key: str(c.idempotency_key, '{rollback_id}:{repo}:{id}'),
        timeout: str(c.timeout, '15m'),
        retry: { attempts: 0, backoff: str(retry.backoff, '30s'), max_backoff: str(retry.max_backoff, '10m') },
        on_failure: 'abort',
      };
    }),
  };
}

export function looseMap(raw: unknown): DependencyMap {
  const r = obj(raw);
  // Object.fromEntries defines own properties: a key such as `__proto__` stays a key (readMapping reports it).
  const services = Object.fromEntries(
    Object.entries(obj(r.services)).map(([name, value]): [string, ServiceEntry] => {
      const s = obj(value);
      return [name, { repo: str(s.repo, ''), path: str(s.path, ''), depends_on: strings(s.depends_on), rollback: 'revert', tier: '' }];
    }),
  );
  const groups = Object.fromEntries(Object.entries(obj(r.groups)).map(([name, value]) => [name, strings(value)]));
  return { services, groups, paused: false };
}
