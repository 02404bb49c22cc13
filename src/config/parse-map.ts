/** Parse the dependency map: YAML → DependencyMap, with schema and semantic problems together. */
import type { DependencyMap } from './map-schema.ts';
import { MapSchema } from './map-schema.ts';
import type { ConfigProblem } from './problem.ts';
import { formatPath } from './problem.ts';
import type { YamlSource } from './parse-yaml.ts';
import { parseYaml } from './parse-yaml.ts';
import { issuesToProblems, valuePhrase } from './issues-to-problems.ts';
import { locate } from './locate.ts';
import { checkMap } from './check-map.ts';
import { looseMap } from './loose-config.ts';

export interface ParsedMap {
  readonly file: string;
  /** null when the file has errors. */
  readonly map: DependencyMap | null;
  readonly source: YamlSource;
  readonly problems: ConfigProblem[];
}

export function parseMap(input: { file: string; text: string }): ParsedMap {
  const source = parseYaml(input.file, input.text);
  const problems = [...source.problems, ...otherDuplicates(source)];
  if (!source.parsed) return { file: input.file, map: null, source, problems };
  const value = source.value ?? {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    problems.push({
      file: input.file, line: 1, col: 1, severity: 'error', path: '',
      message: `the dependency map must be a mapping (key: value), got ${valuePhrase(value)}`,
      hint: 'start with `services:`',
    });
    return { file: input.file, map: null, source, problems };
  }
  const result = MapSchema.safeParse(value);
  if (!result.success) {
    problems.push(...issuesToProblems(source, MapSchema, value, result.error.issues));
    problems.push(...checkMap(looseMap(value), source));
    return { file: input.file, map: null, source, problems };
  }
  problems.push(...checkMap(result.data, source));
  return { file: input.file, map: problems.some((p) => p.severity === 'error') ? null : result.data, source, problems };
}

/** Duplicate keys outside `services:` (those are reported by checkMap with their repos). */
function otherDuplicates(source: YamlSource): ConfigProblem[] {
  return source.duplicates
    .filter((d) => !(d.path.length === 1 && d.path[0] === 'services'))
    .map((d) => {
      const path = [...d.path, d.key];
      const { line, col } = locate(source, path, { key: true });
      return {
        file: source.file, line, col, severity: 'error' as const, path: formatPath(path),
        message: `duplicate key "${d.key}" (first defined on line ${d.firstLine})`,
        hint: 'keep one of the two; YAML would silently use the last one',
      };
    });
}
