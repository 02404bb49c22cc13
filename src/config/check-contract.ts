/** Semantic rules of a contract that a schema cannot express: durations, workflow paths, unique ids, key templates. */
import type { Contract } from './contract-schema.ts';
import type { ConfigProblem, PathSegment } from './problem.ts';
import { formatPath } from './problem.ts';
import type { YamlSource } from './parse-yaml.ts';
import { locate } from './locate.ts';
import { parseDuration } from './duration.ts';
import { didYouMean } from '../shared/did-you-mean.ts';

export const WORKFLOW_PATH = /^\.github\/workflows\/[^/\s]+\.ya?ml$/;
const KEY_PLACEHOLDERS = ['rollback_id', 'repo', 'id', 'service', 'step'];

export function checkContract(contract: Contract, source: YamlSource): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const add = (path: PathSegment[], message: string, hint?: string, severity: 'error' | 'warning' = 'error') => {
    const { line, col } = locate(source, path);
    problems.push({ file: source.file, line, col, severity, path: formatPath(path), message, ...(hint === undefined ? {} : { hint }) });
  };
  const duration = (path: PathSegment[], text: string): number | null => {
    const ms = parseDuration(text);
    if (ms === null) add(path, `"${text}" is not a duration`, 'write an integer followed by a unit: ms, s, m, h or d; e.g. 30s, 15m, 1h30m');
    return ms;
  };

  duration(['revert', 'checks_timeout'], contract.revert.checks_timeout);
  duration(['auto_revert', 'max_culprit_age'], contract.auto_revert.max_culprit_age);

  const seen = new Map<string, number>();
  contract.compensations.forEach((c, i) => {
    const base: PathSegment[] = ['compensations', i];
    const first = seen.get(c.id);
    if (c.id === '') {
      // missing: reported by the schema
    } else if (first !== undefined) add([...base, 'id'], `compensation id "${c.id}" is already used by compensations[${first}]`, 'give every compensation its own id');
    else seen.set(c.id, i);

    if (c.workflow !== '' && !WORKFLOW_PATH.test(c.workflow)) {
      const file = c.workflow.split('/').pop() ?? c.workflow;
      const hint = /\.ya?ml$/.test(file) && !/\s/.test(file)
        ? `did you mean ".github/workflows/${file}"?`
        : 'name the workflow by its file path, e.g. .github/workflows/flag-off.yml (not its display name)';
      add([...base, 'workflow'], `workflow "${c.workflow}" is not a workflow file path like .github/workflows/x.yml`, hint);
    }
    duration([...base, 'timeout'], c.timeout);
    const backoff = duration([...base, 'retry', 'backoff'], c.retry.backoff);
    const maxBackoff = duration([...base, 'retry', 'max_backoff'], c.retry.max_backoff);
    if (backoff !== null && maxBackoff !== null && backoff > maxBackoff) {
      add([...base, 'retry', 'backoff'], `backoff ${c.retry.backoff} is longer than max_backoff ${c.retry.max_backoff}`, 'make max_backoff at least as long as backoff', 'warning');
    }
    for (const m of c.idempotency_key.matchAll(/\{([^}]*)\}/g)) {
      if (KEY_PLACEHOLDERS.includes(m[1])) continue;
      const guess = didYouMean(m[1], KEY_PLACEHOLDERS);
      add([...base, 'idempotency_key'], `unknown placeholder {${m[1]}} in idempotency_key`,
        guess !== null ? `did you mean {${guess}}?` : `placeholders: ${KEY_PLACEHOLDERS.map((k) => `{${k}}`).join(', ')}`);
    }
  });
  return problems;
}
