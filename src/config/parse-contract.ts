/** Parse one contract file: YAML → `_extends` + raw fields → Contract, with every problem located. */
import type { Contract } from './contract-schema.ts';
import { ContractSchema } from './contract-schema.ts';
import type { ConfigProblem } from './problem.ts';
import { hasErrors } from './problem.ts';
import type { YamlSource } from './parse-yaml.ts';
import { readMapping } from './read-mapping.ts';
import { issuesToProblems, valuePhrase } from './issues-to-problems.ts';
import { locate } from './locate.ts';
import { parseExtends } from './parse-extends.ts';
import { checkContract } from './check-contract.ts';
import { looseContract } from './loose-config.ts';

export interface ParsedContract {
  readonly file: string;
  /** The contract of this file alone with defaults applied; null when the file has errors. */
  readonly contract: Contract | null;
  /** The fields written in this file (without `_extends`), for merging; null when unreadable. */
  readonly raw: Record<string, unknown> | null;
  /** The `_extends` value, when present and well-formed. */
  readonly extends: string | null;
  readonly source: YamlSource;
  readonly problems: ConfigProblem[];
}

export function parseContract(input: { file: string; text: string }): ParsedContract {
  const { source, problems, value } = readMapping(input, {
    notMapping: (v, yaml) => ({
      file: input.file, ...pos(yaml, []), severity: 'error', path: '',
      message: `a contract must be a mapping (key: value), got ${valuePhrase(v)}`,
      hint: 'start from `revert:` / `auto_revert:` / `compensations:` keys, or leave the file empty for the defaults',
    }),
  });
  if (value === null) return { file: input.file, contract: null, raw: null, extends: null, source, problems };
  const raw: Record<string, unknown> = { ...value };
  let ext: string | null = null;
  if (Object.hasOwn(raw, '_extends')) {
    const v = raw._extends;
    delete raw._extends;
    if (typeof v === 'string' && parseExtends(v, { owner: 'x', path: 'x.yml' }) !== null) ext = v.trim();
    else {
      problems.push({
        file: input.file, ...pos(source, ['_extends']), severity: 'error', path: '_extends',
        message: `_extends must be "repo", "owner/repo" or "owner/repo:path/file.yml", got ${valuePhrase(v)}`,
        hint: 'e.g. `_extends: .github` to inherit the org defaults',
      });
    }
  }
  const result = ContractSchema.safeParse(raw);
  if (!result.success) {
    problems.push(...issuesToProblems(source, ContractSchema, raw, result.error.issues));
    problems.push(...checkContract(looseContract(raw), source));
    return { file: input.file, contract: null, raw, extends: ext, source, problems };
  }
  problems.push(...checkContract(result.data, source));
  return { file: input.file, contract: hasErrors(problems) ? null : result.data, raw, extends: ext, source, problems };
}

function pos(source: YamlSource, path: Array<string | number>): { line: number; col: number } {
  const { line, col } = locate(source, path, { key: path.length > 0 });
  return { line, col };
}
