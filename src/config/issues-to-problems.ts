/** Turn zod validation issues into ConfigProblems that point into the YAML source. */
import type { z } from 'zod';
import type { ConfigProblem, PathSegment } from './problem.ts';
import { formatPath } from './problem.ts';
import type { YamlSource } from './parse-yaml.ts';
import { locate } from './locate.ts';
import { allowedKeys, describeField } from './schema-at.ts';
import { didYouMean } from '../shared/did-you-mean.ts';
import { firstUnsafeCharacter, quoteText } from './unsafe-text.ts';

type Issue = z.core.$ZodIssue;

export function issuesToProblems(source: YamlSource, schema: z.ZodType, value: unknown, issues: readonly Issue[]): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  for (const issue of issues) out.push(...convert(source, schema, value, issue));
  return out;
}

function convert(source: YamlSource, schema: z.ZodType, value: unknown, issue: Issue): ConfigProblem[] {
  const path = issue.path.filter((p): p is PathSegment => typeof p !== 'symbol');
  const at = (p: readonly PathSegment[], key = false) => {
    const { line, col } = locate(source, p, { key });
    return { file: source.file, line, col, severity: 'error' as const, path: formatPath(p) };
  };
  const described = (p: readonly PathSegment[]) => {
    const d = describeField(schema, p);
    return d === undefined ? undefined : `${formatPath(p) || 'this file'}: ${d}`;
  };
  const actual = valueAt(value, path);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const allowed = allowedKeys(schema, path);
      return issue.keys.map((key) => {
        const guess = didYouMean(key, allowed);
        return {
          ...at([...path, key], true),
          message: `unknown key "${key}"`,
          hint: guess !== null ? `did you mean "${guess}"?` : `allowed keys here: ${allowed.join(', ')}`,
        };
      });
    }
    case 'invalid_type': {
      if (actual === undefined) {
        const field = String(path[path.length - 1]);
        return [{ ...at(path), message: `missing required field "${field}"`, hint: described(path) }];
      }
      return [{ ...at(path), message: `expected ${typePhrase(issue.expected)}, got ${valuePhrase(actual)}`, hint: described(path) }];
    }
    case 'invalid_value': {
      const options = issue.values.map((v) => JSON.stringify(v));
      const guess = typeof actual === 'string' ? didYouMean(actual, issue.values.map(String)) : null;
      return [{
        ...at(path),
        message: `expected one of ${options.join(', ')}, got ${valuePhrase(actual)}`,
        hint: guess !== null ? `did you mean "${guess}"?` : described(path),
      }];
    }
    case 'invalid_format': {
      const unsafe = typeof actual === 'string' ? firstUnsafeCharacter(actual) : null;
      if (unsafe !== null) return [{ ...at(path), message: `${valuePhrase(actual)} contains ${unsafe}; ${UNSAFE_RULE} here`, hint: UNSAFE_HINT }];
      return [{ ...at(path), message: `${valuePhrase(actual)} is not valid here: it must match ${issue.pattern ?? issue.format}`, hint: described(path) }];
    }
    case 'too_small':
      return [{
        ...at(path),
        message: issue.origin === 'string' && Number(issue.minimum) === 1 ? 'must not be empty' : `must be at least ${String(issue.minimum)}, got ${valuePhrase(actual)}`,
        hint: described(path),
      }];
    case 'too_big':
      return [{ ...at(path), message: `must be at most ${String(issue.maximum)}, got ${valuePhrase(actual)}`, hint: described(path) }];
    case 'invalid_key': {
      const key = String(path[path.length - 1]);
      const unsafe = firstUnsafeCharacter(key);
      if (unsafe !== null) return [{ ...at(path, true), message: `invalid name ${quoteText(key)}: it contains ${unsafe}; ${UNSAFE_RULE} in names`, hint: UNSAFE_HINT }];
      const inner = issue.issues.map((i) => ('pattern' in i && i.pattern ? `it must match ${String(i.pattern)}` : i.message)).join('; ');
      return [{ ...at(path, true), message: `invalid name ${quoteText(key)}: ${inner}`, hint: 'names start with a letter or digit and use only letters, digits, ".", "_" and "-"' }];
    }
    default:
      return [{ ...at(path), message: issue.message, hint: described(path) }];
  }
}

const UNSAFE_RULE = 'control and bidirectional formatting characters are not allowed';
const UNSAFE_HINT = 'such characters hide text or show it in another order than it is stored, so one name could pass for another; retype it with plain characters';

export function valueAt(value: unknown, path: readonly PathSegment[]): unknown {
  let v = value;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[seg];
  }
  return v;
}

function typePhrase(expected: string): string {
  const phrases: Record<string, string> = {
    string: 'a string', number: 'a number', int: 'an integer', boolean: 'true or false',
    array: 'a list', object: 'a mapping (key: value)', record: 'a mapping (key: value)',
  };
  return phrases[expected] ?? expected;
}

export function valuePhrase(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `the string ${quoteText(v.length > 60 ? `${v.slice(0, 57)}...` : v)}`;
  if (typeof v === 'number') return Number.isInteger(v) ? `the integer ${v}` : `the number ${v}`;
  return `${typeof v} ${String(v)}`;
}
