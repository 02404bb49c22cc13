/**
 * METADATA annotations (OPA's ast/annotations.go and the METADATA part of ast/parser.go): a comment
 * block starting with `# METADATA` in column 1 holds YAML; it annotates the first statement (package,
 * import or rule) below it. Malformed blocks are `rego_parse_error`s at the block, as OPA's parser
 * (with ProcessAnnotation, as `opa eval`, `opa test` and `opa check` load modules) reports them.
 *
 * OPA 1.x behaviour is followed where OPA 0.47 (the oracle) differs: a `# METADATA` line always starts a
 * new block, and `entrypoint: true` without a scope makes the scope `document`.
 */
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Node as YamlNode, Scalar } from 'yaml';
import { problem } from '../errors.ts';
import type { Loc, RegoProblem } from '../errors.ts';
import { RObject, fromJS } from '../value.ts';
import type { Value } from '../value.ts';
import type { Comment } from './lexer.ts';

export interface Annotation {
  /** The `# METADATA` line. */
  loc: Loc;
  /** As written, or (once attached) the default for its statement: rule, package, document for an entrypoint. */
  scope: string;
  title?: string;
  entrypoint?: boolean;
  description?: string;
  organizations?: string[];
  relatedResources?: Array<{ ref: string; description?: string }>;
  authors?: Array<{ name?: string; email?: string }>;
  schemas?: Array<{ path: string[]; schema?: string[]; definition?: Value }>;
  custom?: RObject;
  labels?: RObject;
}

/** What an annotation is attached to: the statement below it (none when it ends the module). */
export type AnnotationTarget = { k: 'package' } | { k: 'import' } | { k: 'rule'; index: number } | undefined;

export interface ModuleAnnotation {
  a: Annotation;
  target: AnnotationTarget;
}

const isMetadataComment = (c: Comment): boolean => c.col === 1 && c.text.trim().startsWith('METADATA');

/** OPA's blockBuster: a block ends at a comment not in column 1, a gap, or the next `# METADATA`. */
const endsBlock = (cur: Comment, prev: Comment): boolean => cur.col !== 1 || cur.line - 1 !== prev.line || isMetadataComment(cur);

/** Parses every METADATA block among a module's comments; problems for the malformed ones. */
export function parseMetadataBlocks(file: string, comments: Comment[]): { blocks: Annotation[]; problems: RegoProblem[] } {
  const blocks: Annotation[] = [];
  const problems: RegoProblem[] = [];
  for (let i = 0; i < comments.length; i++) {
    if (!isMetadataComment(comments[i])) continue;
    const head = comments[i];
    const lines: Comment[] = [];
    for (i++; i < comments.length && !endsBlock(comments[i], comments[i - 1]); i++) lines.push(comments[i]);
    i--;
    const at = (c: Comment): Loc => ({ file, line: c.line, col: c.col });
    try {
      blocks.push(parseBlock(at(head), lines));
    } catch (e) {
      if (!(e instanceof BlockError)) throw e;
      // OPA (1.x) reports a YAML error at comments[line] of the block (the METADATA line not counted).
      const loc = e.yamlLine !== undefined && lines.length > 0 ? at(lines[Math.min(e.yamlLine, lines.length - 1)]) : at(head);
      problems.push(problem(loc, 'rego_parse_error', e.message));
    }
  }
  return { blocks, problems };
}

class BlockError extends Error {
  constructor(
    message: string,
    readonly yamlLine?: number,
  ) {
    super(message);
  }
}

/** The block's YAML: each comment without its `#` and one leading space (OPA's metadataParser.Append). */
function parseBlock(loc: Loc, lines: Comment[]): Annotation {
  const text = lines.map((c) => (c.text.startsWith(' ') ? c.text.slice(1) : c.text) + '\n').join('');
  if (text.trim() === '') throw new BlockError('expected METADATA block, found whitespace');
  const doc = parseDocument(text, { intAsBigInt: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const err = doc.errors[0];
    const line = err.linePos?.[0]?.line;
    const first = err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    throw new BlockError(line !== undefined ? `yaml: line ${line}: ${first}` : `yaml: ${first}`, line);
  }
  const src = text;
  const a: Annotation = { loc, scope: '' };
  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) return a;
  if (!isMap(root)) throw unmarshal(src, root, 'ast.rawAnnotation');
  for (const item of root.items) {
    const key = isScalar(item.key) ? String(item.key.value) : undefined;
    const v = item.value as YamlNode | null;
    if (v === null || (isScalar(v) && v.value === null)) continue;
    switch (key) {
      case 'scope':
        a.scope = scalarString(src, v);
        break;
      case 'title':
        a.title = scalarString(src, v);
        break;
      case 'description':
        a.description = scalarString(src, v);
        break;
      case 'entrypoint':
        if (!isScalar(v) || typeof v.value !== 'boolean') throw unmarshal(src, v, 'bool');
        a.entrypoint = v.value;
        break;
      case 'organizations':
        if (!isSeq(v)) throw unmarshal(src, v, '[]string');
        a.organizations = v.items.map((x) => scalarString(src, x as YamlNode));
        break;
      case 'related_resources':
        a.relatedResources = seqOf(src, v).map(relatedResource);
        break;
      case 'authors':
        a.authors = seqOf(src, v).map(author);
        break;
      case 'schemas':
        a.schemas = seqOf(src, v).map(schema);
        break;
      case 'custom':
        a.custom = mapOf(src, v);
        break;
      case 'labels':
        a.labels = mapOf(src, v);
        break;
      default:
        // Other keys (`compile`, unknown ones) are not part of what rego.metadata returns.
        break;
    }
  }
  return a;
}

/** 1-based line of a node in the block's YAML text. */
function lineOf(src: string, n: YamlNode): number {
  return src.slice(0, n.range?.[0] ?? 0).split('\n').length;
}

/** yaml.v3's type error when a node cannot be decoded into the field's Go type. */
function unmarshal(src: string, n: YamlNode, goType: string): BlockError {
  const line = lineOf(src, n);
  const tag = isMap(n) ? '!!map' : isSeq(n) ? '!!seq' : `!!${scalarTag(n as Scalar)} \`${(n as Scalar).source ?? String((n as Scalar).value)}\``;
  return new BlockError(`yaml: unmarshal errors:\n  line ${line}: cannot unmarshal ${tag} into ${goType}`, line);
}

function scalarTag(s: Scalar): string {
  const v = s.value;
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v) && !/[.eE]/.test(String(s.source ?? '')))) return 'int';
  if (typeof v === 'number') return 'float';
  return 'str';
}

/** A scalar decoded into a Go string field: its text as written (yaml.v3 keeps `1.50`, `true`). */
function scalarString(src: string, n: YamlNode): string {
  if (!isScalar(n)) throw unmarshal(src, n, 'string');
  if (n.value === null) return '';
  return typeof n.value === 'string' ? n.value : String(n.source ?? n.value);
}

function seqOf(src: string, n: YamlNode): unknown[] {
  if (!isSeq(n)) throw unmarshal(src, n, '[]interface {}');
  return n.items.map((x) => toPlain(x as YamlNode | null));
}

function mapOf(src: string, n: YamlNode): RObject {
  if (!isMap(n)) throw unmarshal(src, n, 'map[string]interface {}');
  return fromJS(stringKeys(toPlain(n), [])) as RObject;
}

/** YAML node → plain JS (maps as Map, to check key types as OPA's convertYAMLMapKeyTypes does). */
function toPlain(n: YamlNode | null): unknown {
  if (n === null) return null;
  if (isScalar(n)) return n.value;
  if (isSeq(n)) return n.items.map((x) => toPlain(x as YamlNode | null));
  if (isMap(n)) return new Map(n.items.map((it) => [isScalar(it.key) ? it.key.value : it.key, toPlain(it.value as YamlNode | null)]));
  return null;
}

function stringKeys(x: unknown, path: string[]): unknown {
  if (x instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of x) {
      if (typeof k !== 'string') throw new BlockError(`invalid map key type(s): ${path.join('/')}`);
      out[k] = stringKeys(v, [...path, k]);
    }
    return out;
  }
  if (Array.isArray(x)) return x.map((v, i) => stringKeys(v, [...path, String(i)]));
  return x;
}

/** Go's `%s` of a decoded YAML value, for OPA's messages (`map[foo:1]`, `[a b]`). */
function goText(x: unknown): string {
  if (x instanceof Map) return `map[${[...x].map(([k, v]) => [String(k), goText(v)]).sort((p, q) => (p[0] < q[0] ? -1 : p[0] > q[0] ? 1 : 0)).map(([k, v]) => `${k}:${v}`).join(' ')}]`;
  if (Array.isArray(x)) return `[${x.map(goText).join(' ')}]`;
  if (x === null || x === undefined) return '<nil>';
  if (typeof x === 'number' || typeof x === 'bigint') return `%!s(int=${String(x)})`;
  if (typeof x === 'boolean') return `%!s(bool=${x})`;
  return String(x);
}

const safeString = (m: Map<unknown, unknown>, k: string): string => {
  const v = m.get(k);
  return typeof v === 'string' ? v.trim() : '';
};

function relatedResource(x: unknown): { ref: string; description?: string } {
  const fail = (why: string): never => {
    throw new BlockError(`invalid related-resource definition ${goText(x)}: ${why}`);
  };
  if (typeof x === 'string') return x.length > 0 ? { ref: x } : fail('ref URL may not be empty string');
  if (x instanceof Map) {
    stringKeys(x, []);
    const ref = safeString(x, 'ref');
    const description = safeString(x, 'description');
    if (ref.length === 0) return fail("'ref' value required in object");
    return { ref, ...(description ? { description } : {}) };
  }
  return fail('invalid value type, must be string or map');
}

function author(x: unknown): { name?: string; email?: string } {
  const fail = (why: string): never => {
    throw new BlockError(`invalid author definition ${goText(x)}: ${why}`);
  };
  if (typeof x === 'string') {
    const parts = x.split(/\s+/).filter((p) => p.length > 0);
    if (parts.length === 0) return fail('author is an empty string');
    const last = parts[parts.length - 1];
    let email = '';
    if (last.length >= 2 && last.startsWith('<') && last.endsWith('>')) {
      email = last.slice(1, -1);
      parts.pop();
    }
    const name = parts.join(' ');
    return { ...(name ? { name } : {}), ...(email ? { email } : {}) };
  }
  if (x instanceof Map) {
    stringKeys(x, []);
    const name = safeString(x, 'name');
    const email = safeString(x, 'email');
    if (!name && !email) return fail("'name' and/or 'email' values required in object");
    return { ...(name ? { name } : {}), ...(email ? { email } : {}) };
  }
  return fail('invalid value type, must be string or map');
}

/** `input.a["b c"]` → ["input", "a", "b c"] (OPA's Ref.toArray of a parsed ref); undefined when not a ref. */
function refArray(s: string): string[] | undefined {
  const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(s);
  if (!m) return undefined;
  const out = [m[0]];
  let rest = s.slice(m[0].length);
  while (rest.length > 0) {
    const dot = /^\.([A-Za-z_][A-Za-z0-9_]*)/.exec(rest);
    const br = /^\[("(?:[^"\\]|\\.)*")\]/.exec(rest);
    if (dot) {
      out.push(dot[1]);
      rest = rest.slice(dot[0].length);
    } else if (br) {
      out.push(JSON.parse(br[1]) as string);
      rest = rest.slice(br[0].length);
    } else return undefined;
  }
  return out;
}

function schema(x: unknown): { path: string[]; schema?: string[]; definition?: Value } {
  if (!(x instanceof Map) || x.size === 0) throw new BlockError('invalid document reference');
  const [k, v] = [...x][0];
  const path = typeof k === 'string' ? refArray(k) : undefined;
  if (!path) throw new BlockError('invalid document reference');
  if (typeof v === 'string') {
    const ref = refArray(v);
    if (!ref || ref[0] !== 'schema') throw new BlockError('invalid schema reference');
    return { path, schema: ref };
  }
  if (v instanceof Map) return { path, definition: fromJS(stringKeys(v, [])) };
  throw new BlockError(`invalid schema declaration for path ${JSON.stringify(k)}`);
}

/** Attaches each block to the first statement below it and checks its scope (OPA's attachAnnotationsNodes). */
export function attachAnnotations(
  blocks: Annotation[],
  statements: Array<{ line: number; target: Exclude<AnnotationTarget, undefined> }>,
): { annotations: ModuleAnnotation[]; problems: RegoProblem[] } {
  const annotations: ModuleAnnotation[] = [];
  const problems: RegoProblem[] = [];
  for (const a of blocks) {
    const target = statements.find((s) => s.line > a.loc.line)?.target;
    if (a.scope === '' && target) {
      if (target.k === 'rule') a.scope = a.entrypoint ? 'document' : 'rule';
      else a.scope = target.k;
    }
    const have = target ? ` (have ${target.k})` : '';
    if (a.scope === 'rule' || a.scope === 'document') {
      if (target?.k !== 'rule') problems.push(problem(a.loc, 'rego_parse_error', `annotation scope '${a.scope}' must be applied to rule${have}`));
    } else if (a.scope === 'package' || a.scope === 'subpackages') {
      if (target?.k !== 'package') problems.push(problem(a.loc, 'rego_parse_error', `annotation scope '${a.scope}' must be applied to package${have}`));
    } else
      problems.push(
        problem(a.loc, 'rego_parse_error', `invalid annotation scope '${a.scope}'. Use one of 'rule', 'document', 'package', or 'subpackages'`),
      );
    if (a.entrypoint && a.scope !== 'document' && a.scope !== 'package')
      problems.push(problem(a.loc, 'rego_parse_error', `annotation entrypoint applied to non-document or package scope '${a.scope}'`));
    annotations.push({ a, target });
  }
  return { annotations, problems };
}

/** The annotation as rego.metadata returns it (OPA's Annotations.toTerm). */
export function annotationValue(a: Annotation): RObject {
  const e: Array<readonly [Value, Value]> = [];
  if (a.scope) e.push(['scope', a.scope]);
  if (a.title) e.push(['title', a.title]);
  if (a.entrypoint) e.push(['entrypoint', true]);
  if (a.description) e.push(['description', a.description]);
  if (a.organizations?.length) e.push(['organizations', a.organizations]);
  if (a.relatedResources?.length)
    e.push(['related_resources', a.relatedResources.map((r) => new RObject([['ref', r.ref], ...(r.description ? [['description', r.description] as const] : [])]))]);
  if (a.authors?.length)
    e.push(['authors', a.authors.map((x) => new RObject([...(x.name ? [['name', x.name] as const] : []), ...(x.email ? [['email', x.email] as const] : [])]))]);
  if (a.schemas?.length)
    e.push([
      'schemas',
      a.schemas.map(
        (s) =>
          new RObject([
            ['path', s.path],
            ...(s.schema ? [['schema', s.schema] as const] : []),
            ...(s.definition !== undefined ? [['definition', s.definition] as const] : []),
          ]),
      ),
    ]);
  if (a.custom && a.custom.size > 0) e.push(['custom', a.custom]);
  if (a.labels && a.labels.size > 0) e.push(['labels', a.labels]);
  return new RObject(e);
}
