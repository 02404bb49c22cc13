/**
 * Loads conformance cases from YAML files: regorus's format (`want_result` is a value, `error`
 * is a substring of regorus's message, `no_result`, `many!`/`set!`/`object!`/`#undefined`
 * encodings) and OPA's topdown format (`want_result` is a list of bindings, `want_error_code`,
 * `want_error`, `input_term`, `sort_bindings`, `strict_error`).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { parse } from 'yaml';

export type Expectation =
  | { kind: 'value'; values: unknown[] }
  | { kind: 'bindings'; bindings: unknown[]; sorted: boolean }
  | { kind: 'noresult' }
  | { kind: 'error'; code?: string; message?: string };

export interface ConformanceCase {
  /** `<relative file>#<note>` (with `#2`, `#3`… for repeated notes in one file). */
  id: string;
  file: string;
  folder: string;
  note: string;
  format: 'regorus' | 'opa';
  modules: string[];
  data: unknown;
  /** `undefined`: no input; several entries: regorus `many!` inputs. */
  inputs: unknown[] | undefined;
  /** OPA `input_term`: a Rego term evaluated to the input. */
  inputTerm?: string;
  query: string;
  expect: Expectation;
  strict: boolean;
  skip?: string;
  /** The file could not be read as YAML (counted as a failure). */
  loadError?: string;
}

export function findYamlFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(name)) out.push(p);
    }
  };
  if (statSync(dir).isDirectory()) walk(dir);
  else out.push(dir);
  return out;
}

type Raw = Record<string, unknown>;

/** YAML maps (kept as Maps so expected values may have non-string keys) as plain objects. */
export function plain(x: unknown): unknown {
  if (x instanceof Map) return Object.fromEntries([...x].map(([k, v]) => [String(k), plain(v)]));
  if (Array.isArray(x)) return x.map(plain);
  return x;
}

/** The document and each case as plain objects, keeping `want_result` as parsed (Maps). */
function plainTop(doc: unknown): { cases?: Raw[] } | null {
  if (!(doc instanceof Map)) return null;
  const cases = doc.get('cases');
  if (!Array.isArray(cases)) return { cases: [] };
  return {
    cases: cases.map((c: unknown) => {
      if (!(c instanceof Map)) return {};
      const out: Raw = {};
      for (const [k, v] of c) out[String(k)] = k === 'want_result' ? v : plain(v);
      return out;
    }),
  };
}

function isOpaCase(file: string, c: Raw): boolean {
  const p = file.split(sep).join('/');
  if (p.includes('/regorus/')) return false;
  if (p.includes('/opa/')) return true;
  if ('error' in c || 'no_result' in c) return false;
  return 'want_error_code' in c || 'want_error' in c || 'input_term' in c || Array.isArray(c.want_result);
}

export function loadCases(file: string, root: string): ConformanceCase[] {
  const rel = relative(root, file).split(sep).join('/');
  const folder = rel.includes('/') ? rel.slice(0, rel.lastIndexOf('/')) : '.';
  let doc: { cases?: Raw[] } | null;
  try {
    const text = readFileSync(file, 'utf8');
    const opts = { intAsBigInt: true, strict: false, mapAsMap: true } as const;
    let parsed: unknown;
    try {
      parsed = parse(text, opts);
    } catch {
      // libyaml (regorus's reader) accepts flow collections indented less than their key; `yaml` does not.
      parsed = parse(indentFlowCollections(text), opts);
    }
    doc = plainTop(parsed);
  } catch (e) {
    const msg = e instanceof Error ? e.message.split('\n')[0] : String(e);
    return [{ id: `${rel}#(unreadable)`, file: rel, folder, note: '(unreadable)', format: 'regorus', modules: [], data: {}, inputs: undefined, query: '', expect: { kind: 'noresult' }, strict: true, loadError: msg }];
  }
  const seen = new Map<string, number>();
  const out: ConformanceCase[] = [];
  for (const c of doc?.cases ?? []) {
    const note = String(c.note ?? '(no note)');
    const n = (seen.get(note) ?? 0) + 1;
    seen.set(note, n);
    const id = `${rel}#${note}${n > 1 ? `#${n}` : ''}`;
    const modules = Array.isArray(c.modules) ? c.modules.map(String) : [];
    const opa = isOpaCase(file, c);
    const base = { id, file: rel, folder, note, modules, data: c.data ?? {}, query: String(c.query ?? '') };
    if (opa) {
      const expect: Expectation =
        'want_error_code' in c || 'want_error' in c
          ? { kind: 'error', ...(c.want_error_code ? { code: String(c.want_error_code) } : {}), ...(c.want_error ? { message: String(c.want_error) } : {}) }
          : Array.isArray(c.want_result) && c.want_result.length > 0
            ? { kind: 'bindings', bindings: plain(c.want_result) as unknown[], sorted: c.sort_bindings === true }
            : { kind: 'noresult' };
      out.push({
        ...base,
        format: 'opa',
        inputs: 'input' in c ? [c.input] : undefined,
        ...(typeof c.input_term === 'string' ? { inputTerm: c.input_term } : {}),
        expect,
        strict: c.strict_error === true,
        ...(c.skip ? { skip: String(c.skip) } : {}),
      });
      continue;
    }
    let inputs: unknown[] | undefined;
    if ('input' in c) {
      const inp = c.input as Raw | undefined;
      inputs = inp && typeof inp === 'object' && Array.isArray((inp as Raw)['many!']) ? ((inp as Raw)['many!'] as unknown[]) : [inp];
    }
    let expect: Expectation;
    const wr = c.want_result;
    if (wr instanceof Map && wr.size === 1 && Array.isArray(wr.get('many!'))) c.want_result = { 'many!': wr.get('many!') };
    if ('error' in c) expect = { kind: 'error', message: String(c.error) };
    else if (c.no_result === true) expect = { kind: 'noresult' };
    else {
      const w = c.want_result as Raw | undefined;
      const values = w && typeof w === 'object' && !Array.isArray(w) && Array.isArray(w['many!']) ? (w['many!'] as unknown[]) : [w];
      expect = values.length === 1 && values[0] === '#undefined' ? { kind: 'noresult' } : { kind: 'value', values };
    }
    out.push({
      ...base,
      format: 'regorus',
      inputs,
      expect,
      // Regorus's default is strict builtin errors (its nonstrict/tests.yaml); `strict: false` turns them off.
      strict: c.strict !== false,
      ...(c.skip === true ? { skip: 'skip: true' } : {}),
    });
  }
  return out;
}

/**
 * Re-indents the lines of a flow collection opened at the end of a `key: [` line so that they are
 * deeper than the key, as YAML 1.2 requires (libyaml is lenient here). Other lines are unchanged.
 */
export function indentFlowCollections(text: string): string {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^(\s*)(?:- )?[^#'"]*:\s*([[{])\s*$/.exec(lines[i]);
    if (!m) continue;
    const pad = m[1].length + 2;
    const close = m[2] === '[' ? ']' : '}';
    for (let j = i + 1; j < lines.length; j++) {
      const indent = lines[j].length - lines[j].trimStart().length;
      if (indent < pad && lines[j].trim()) lines[j] = ' '.repeat(pad) + lines[j].trimStart();
      if (lines[j].trim().startsWith(close)) break;
    }
  }
  return lines.join('\n');
}
