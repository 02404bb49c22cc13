/** Parses `data.json` / `data.yaml` files and deep-merges them into one base document. */
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { PolicyLoadError } from './policy-load-error.ts';
import { textOf } from './classify-policy-files.ts';
import type { PolicyFile } from './hash-policy-files.ts';

type Obj = Record<string, unknown>;

function isObject(x: unknown): x is Obj {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

export function parseDataFile(file: PolicyFile): Obj {
  const text = textOf(file);
  let value: unknown;
  if (file.path.endsWith('.json')) {
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw new PolicyLoadError(`${file.path}: invalid JSON: ${(err as Error).message}`);
    }
  } else {
    try {
      value = parseYaml(text, { prettyErrors: true });
    } catch (err) {
      if (err instanceof YAMLParseError && err.linePos) {
        const { line, col } = err.linePos[0];
        throw new PolicyLoadError(`${file.path}:${line}:${col}: invalid YAML: ${err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`);
      }
      throw new PolicyLoadError(`${file.path}: invalid YAML: ${(err as Error).message}`);
    }
  }
  if (value === null || value === undefined) return {};
  if (!isObject(value)) throw new PolicyLoadError(`${file.path}: the top level of a data file must be an object`);
  return value;
}

/** Merges objects recursively; the same leaf defined twice with different values is an error naming both files. */
export function mergeData(docs: ReadonlyArray<{ path: string; value: Obj }>): Obj {
  const out: Obj = {};
  const origin = new Map<string, string>();
  const merge = (into: Obj, from: Obj, at: string[], file: string): void => {
    for (const [k, v] of Object.entries(from)) {
      const key = [...at, k];
      const cur = into[k];
      if (isObject(cur) && isObject(v)) {
        merge(cur, v, key, file);
      } else if (cur === undefined && isObject(v)) {
        const fresh: Obj = {};
        into[k] = fresh;
        merge(fresh, v, key, file);
      } else if (cur === undefined) {
        into[k] = v;
        origin.set(key.join('.'), file);
      } else if (JSON.stringify(cur) !== JSON.stringify(v)) {
        throw new PolicyLoadError(`${file}: data.${key.join('.')} conflicts with the value from ${origin.get(key.join('.')) ?? 'another file'}`);
      }
    }
  };
  for (const d of docs) merge(out, d.value, [], d.path);
  return out;
}

export function loadBaseData(files: readonly PolicyFile[]): Obj {
  return mergeData(files.map((f) => ({ path: f.path, value: parseDataFile(f) })));
}
