/**
 * The front half shared by parseContract and parseMap: YAML text → its top-level mapping, with the syntax
 * problems and the duplicate-key errors. An empty file reads as an empty mapping.
 */
import type { ConfigProblem } from './problem.ts';
import { formatPath } from './problem.ts';
import type { DuplicateKey, YamlSource } from './parse-yaml.ts';
import { parseYaml } from './parse-yaml.ts';
import { locate } from './locate.ts';

export interface ReadMappingOptions {
  /** The problem to report when the document is not a mapping. */
  readonly notMapping: (value: unknown, source: YamlSource) => ConfigProblem;
  /** Duplicate keys to report here (default: all of them). */
  readonly reportDuplicate?: (d: DuplicateKey) => boolean;
}

export interface ReadMapping {
  readonly source: YamlSource;
  readonly problems: ConfigProblem[];
  /** The top-level mapping; null when the file did not parse or is not a mapping. */
  readonly value: Record<string, unknown> | null;
}

export function readMapping(input: { file: string; text: string }, opts: ReadMappingOptions): ReadMapping {
  const source = parseYaml(input.file, input.text);
  const duplicates = opts.reportDuplicate === undefined ? source.duplicates : source.duplicates.filter(opts.reportDuplicate);
  const problems = [...source.problems, ...duplicates.map((d) => duplicateProblem(source, d))];
  if (!source.parsed) return { source, problems, value: null };
  const value = source.value ?? {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    problems.push(opts.notMapping(value, source));
    return { source, problems, value: null };
  }
  return { source, problems, value: value as Record<string, unknown> };
}

/** A duplicate key: the later value silently wins in YAML, so it is an error. */
function duplicateProblem(source: YamlSource, d: DuplicateKey): ConfigProblem {
  const path = [...d.path, d.key];
  const { line, col } = locate(source, path, { key: true });
  return {
    file: source.file, line, col, severity: 'error', path: formatPath(path),
    message: `duplicate key "${d.key}" (first defined on line ${d.firstLine})`,
    hint: 'keep one of the two; YAML would silently use the last one',
  };
}
