/**
 * YAML text → plain value, keeping the document so every problem can point at file:line:col.
 * Syntax errors, duplicate keys, excessive nesting, alias bombs and oversized files become problems,
 * never exceptions.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Document, Node as YamlNode } from 'yaml';
import type { ConfigProblem, PathSegment } from './problem.ts';
import { fileProblem, formatPath } from './problem.ts';

export const MAX_CONFIG_BYTES = 4 * 1024 * 1024;
export const MAX_NESTING = 64;
/** Widest indentation accepted (columns). */
export const MAX_INDENT = 512;

export interface DuplicateKey {
  readonly path: readonly PathSegment[];
  readonly key: string;
  /** 1-based line of the first occurrence. */
  readonly firstLine: number;
}

export interface YamlSource {
  readonly file: string;
  readonly doc: Document | null;
  readonly lineCounter: LineCounter;
  /** The plain value (undefined for an empty file or when the file could not be parsed). */
  readonly value: unknown;
  /** True when the text parsed (problems may still include duplicate keys). */
  readonly parsed: boolean;
  readonly problems: ConfigProblem[];
  readonly duplicates: DuplicateKey[];
}

export function parseYaml(file: string, text: string): YamlSource {
  const lineCounter = new LineCounter();
  const problems: ConfigProblem[] = [];
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_CONFIG_BYTES) {
    problems.push(fileProblem(file, `file is ${bytes} bytes; the limit is ${MAX_CONFIG_BYTES} bytes`, 'split the configuration or remove unused entries'));
    return { file, doc: null, lineCounter, value: undefined, parsed: false, problems, duplicates: [] };
  }
  const deep = flowTooDeep(text);
  if (deep !== null) {
    const { line, col } = lineCounterFor(text).linePos(deep);
    problems.push({ file, line, col, severity: 'error', path: '', message: `nesting is deeper than ${MAX_NESTING} levels`, hint: 'configuration files are shallow; check the brackets and the indentation' });
    return { file, doc: null, lineCounter, value: undefined, parsed: false, problems, duplicates: [] };
  }
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false, strict: true });
  for (const err of doc.errors) {
    const { line, col } = lineCounter.linePos(err.pos[0]);
    problems.push({ file, line, col, severity: 'error', path: '', message: `YAML syntax error: ${firstLine(err.message)}`, hint: 'fix the YAML syntax; every problem after this point may be a consequence' });
  }
  for (const warn of doc.warnings) {
    const { line, col } = lineCounter.linePos(warn.pos[0]);
    problems.push({ file, line, col, severity: 'warning', path: '', message: `YAML: ${firstLine(warn.message)}` });
  }
  if (doc.errors.length > 0) return { file, doc, lineCounter, value: undefined, parsed: false, problems, duplicates: [] };

  const walk = walkTree(doc, lineCounter);
  for (const { path, pos } of walk.prototypeKeys) {
    problems.push({
      file, ...pos, severity: 'error', path: formatPath(path), message: 'the key "__proto__" is not allowed',
      hint: 'JavaScript reads "__proto__" as an object\'s prototype, not as a key, so it would be silently lost; rename it',
    });
  }
  if (walk.tooDeep !== null) {
    problems.push({
      file, ...walk.tooDeep.pos, severity: 'error', path: formatPath(walk.tooDeep.path),
      message: `nesting is deeper than ${MAX_NESTING} levels`, hint: 'configuration files are shallow; check the indentation',
    });
    return { file, doc, lineCounter, value: undefined, parsed: false, problems, duplicates: walk.duplicates };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 1000 });
  } catch (err) {
    problems.push(fileProblem(file, `YAML could not be read: ${err instanceof Error ? firstLine(err.message) : String(err)}`, 'avoid deeply nested or heavily repeated aliases (*name)'));
    return { file, doc, lineCounter, value: undefined, parsed: false, problems, duplicates: walk.duplicates };
  }
  return { file, doc, lineCounter, value: value ?? undefined, parsed: true, problems, duplicates: walk.duplicates };
}

/**
 * Offset where `[`/`{` nesting first exceeds MAX_NESTING, or null. Checked before parsing so that the
 * YAML parser (which recurses) never sees pathological input. Quotes and comments are skipped.
 */
function flowTooDeep(text: string): number | null {
  // Block nesting: indentation width, and compact `- - - x` / `? ? x` indicators on one line.
  let lineStart = 0;
  while (lineStart < text.length) {
    let end = text.indexOf('\n', lineStart);
    if (end < 0) end = text.length;
    let i = lineStart;
    while (i < end && (text[i] === ' ' || text[i] === '\t')) i++;
    if (i - lineStart > MAX_INDENT) return i;
    let indicators = 0;
    while (i + 1 < end && (text[i] === '-' || text[i] === '?' || text[i] === ':') && (text[i + 1] === ' ' || text[i + 1] === '\t')) {
      if (++indicators > MAX_NESTING) return i;
      i += 2;
      while (i < end && (text[i] === ' ' || text[i] === '\t')) i++;
    }
    lineStart = end + 1;
  }
  let depth = 0;
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote !== null) {
      if (ch === '\\' && quote === '"') i++;
      else if (ch === quote) quote = null;
      continue;
    }
    if (ch === '"' || ch === "'") {
      const prev = i === 0 ? ' ' : text[i - 1];
      if (/[\s\[{,:]/.test(prev)) quote = ch;
    } else if (ch === '#' && (i === 0 || /\s/.test(text[i - 1]))) {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (ch === '[' || ch === '{') {
      if (++depth > MAX_NESTING) return i;
    } else if ((ch === ']' || ch === '}') && depth > 0) {
      depth--;
    }
  }
  return null;
}

function lineCounterFor(text: string): LineCounter {
  const lc = new LineCounter();
  lc.addNewLine(0);
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lc.addNewLine(i + 1);
  return lc;
}

interface WalkResult {
  duplicates: DuplicateKey[];
  /** Keys named `__proto__`: schema parsers drop them silently. */
  prototypeKeys: Array<{ path: PathSegment[]; pos: { line: number; col: number } }>;
  tooDeep: { path: PathSegment[]; pos: { line: number; col: number } } | null;
}

/** Iterative walk: duplicate keys, `__proto__` keys and the nesting bound, without recursion. */
function walkTree(doc: Document, lc: LineCounter): WalkResult {
  const duplicates: DuplicateKey[] = [];
  const prototypeKeys: WalkResult['prototypeKeys'] = [];
  const stack: Array<{ node: unknown; path: PathSegment[] }> = [{ node: doc.contents, path: [] }];
  while (stack.length > 0) {
    const { node, path } = stack.pop()!;
    if (path.length > MAX_NESTING) return { duplicates, prototypeKeys, tooDeep: { path, pos: position(node, lc) } };
    if (isMap(node)) {
      const seen = new Map<string, number>();
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        const first = seen.get(key);
        if (first !== undefined) duplicates.push({ path, key, firstLine: first });
        else seen.set(key, position(pair.key, lc).line);
        if (key === '__proto__') prototypeKeys.push({ path: [...path, key], pos: position(pair.key, lc) });
        stack.push({ node: pair.value, path: [...path, key] });
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => stack.push({ node: item, path: [...path, i] }));
    }
  }
  return { duplicates, prototypeKeys, tooDeep: null };
}

export function position(node: unknown, lc: LineCounter): { line: number; col: number } {
  const range = (node as YamlNode | null)?.range;
  if (!range) return { line: 1, col: 1 };
  return lc.linePos(range[0]);
}

function firstLine(message: string): string {
  return message.split('\n')[0].trim();
}
