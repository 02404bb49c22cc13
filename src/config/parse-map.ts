/** Parse the dependency map: YAML → DependencyMap, with schema and semantic problems together. */
import type { DependencyMap } from './map-schema.ts';
import { MapSchema } from './map-schema.ts';
import type { ConfigProblem } from './problem.ts';
import { fileProblem, hasErrors } from './problem.ts';
import type { YamlSource } from './parse-yaml.ts';
import { readMapping } from './read-mapping.ts';
import { issuesToProblems, valuePhrase } from './issues-to-problems.ts';
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
  const { source, problems, value } = readMapping(input, {
    notMapping: (v) => fileProblem(input.file, `the dependency map must be a mapping (key: value), got ${valuePhrase(v)}`, 'start with `services:`'),
    // Duplicates under `services:` are reported by checkMap, with their repos.
    reportDuplicate: (d) => !(d.path.length === 1 && d.path[0] === 'services'),
  });
  if (value === null) return { file: input.file, map: null, source, problems };
  const result = MapSchema.safeParse(value);
  if (!result.success) {
    problems.push(...issuesToProblems(source, MapSchema, value, result.error.issues));
    problems.push(...checkMap(looseMap(value), source));
    return { file: input.file, map: null, source, problems };
  }
  problems.push(...checkMap(result.data, source));
  return { file: input.file, map: hasErrors(problems) ? null : result.data, source, problems };
}
