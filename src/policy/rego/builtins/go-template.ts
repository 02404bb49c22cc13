/**
 * A Go text/template subset for strings.render_template (OPA topdown/template.go): text and actions
 * with trim markers and comments; pipelines of fields (.a.b), variables ($x, $), literals,
 * parenthesised pipelines and the builtin functions (and, or, not, len, index, print, printf,
 * println, eq, ne, lt, le, gt, ge, html, js, urlquery); if/else if/else, range (with $i, $x := and
 * else), with, variable declarations and assignment, break and continue. The data are the JSON
 * values OPA hands Go (numbers as float64), printed with fmt's %v; a missing map key prints
 * "<no value>", which OPA then shows as "<undefined>". define/template/block are refused.
 */
import { goSprintf } from './sprintf.ts';

export type TValue = null | boolean | number | string | TValue[] | { [k: string]: TValue } | typeof NO_VALUE;
export const NO_VALUE = Symbol('no value');

export class TemplateError extends Error {}

type Pipe = { decl: string[]; assign: boolean; cmds: Arg[][] };
type Arg =
  | { k: 'field'; base: 'dot' | string; path: string[] }
  | { k: 'lit'; v: TValue }
  | { k: 'ident'; name: string }
  | { k: 'pipe'; pipe: Pipe; path: string[] };
type Node =
  | { k: 'text'; s: string }
  | { k: 'action'; pipe: Pipe }
  | { k: 'if' | 'with'; pipe: Pipe; then: Node[]; else: Node[] }
  | { k: 'range'; pipe: Pipe; then: Node[]; else: Node[] }
  | { k: 'break' | 'continue' };

// ---------- lexing and parsing ----------

interface Action {
  text: string;
}
type Piece = string | Action;

function split(src: string): Piece[] {
  const out: Piece[] = [];
  let i = 0;
  while (i < src.length) {
    const open = src.indexOf('{{', i);
    if (open < 0) {
      out.push(src.slice(i));
      break;
    }
    let text = src.slice(i, open);
    let start = open + 2;
    if (src.startsWith('- ', start) || src.startsWith('-\t', start) || src.startsWith('-\n', start)) {
      text = text.replace(/\s+$/, '');
      start += 1;
    }
    if (text) out.push(text);
    // Find the closing }} outside string literals.
    let j = start;
    let quote = '';
    for (; j < src.length; j++) {
      const c = src[j];
      if (quote) {
        if (c === '\\' && quote !== '`') j++;
        else if (c === quote) quote = '';
      } else if (c === '"' || c === '`' || c === "'") quote = c;
      else if (src.startsWith('}}', j)) break;
    }
    if (j >= src.length) throw new TemplateError('template: unclosed action');
    let inner = src.slice(start, j);
    i = j + 2;
    if (/\s-$/.test(inner)) {
      inner = inner.slice(0, -1);
      const m = /^\s*/.exec(src.slice(i))!;
      i += m[0].length;
    }
    out.push({ text: inner.trim() });
  }
  return out;
}

const TOKEN = /\s*(?:("(?:[^"\\]|\\.)*")|(`[^`]*`)|('(?:[^'\\]|\\.)')|(:=|=|\||\(|\))|(\$[A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)|(\.(?:[A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*)?)|([-+]?(?:0x[0-9a-fA-F]+|\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|\.\d+))|([A-Za-z_][A-Za-z0-9_]*)|(,))/y;

type Tok = { t: 'str' | 'op' | 'var' | 'field' | 'num' | 'ident'; v: string };

function tokens(s: string): Tok[] {
  const out: Tok[] = [];
  TOKEN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while (TOKEN.lastIndex < s.length && (m = TOKEN.exec(s))) {
    if (m[1]) out.push({ t: 'str', v: JSON.parse(m[1]) as string });
    else if (m[2]) out.push({ t: 'str', v: m[2].slice(1, -1) });
    else if (m[3]) out.push({ t: 'num', v: String((JSON.parse(`"${m[3].slice(1, -1)}"`) as string).codePointAt(0)) });
    else if (m[4]) out.push({ t: 'op', v: m[4] });
    else if (m[5]) out.push({ t: 'var', v: m[5] });
    else if (m[6]) out.push({ t: 'field', v: m[6] });
    else if (m[7]) out.push({ t: 'num', v: m[7] });
    else if (m[8]) out.push({ t: 'ident', v: m[8] });
    else if (m[9]) out.push({ t: 'op', v: ',' });
  }
  if (s.slice(TOKEN.lastIndex).trim()) throw new TemplateError(`template: unexpected "${s.slice(TOKEN.lastIndex).trim()}" in command`);
  return out;
}

function parsePipe(toks: Tok[], pos = { i: 0 }, closing?: string): Pipe {
  const pipe: Pipe = { decl: [], assign: false, cmds: [] };
  // Declarations: $x := … or $i, $x := … (also = for assignment).
  let look = pos.i;
  const vars: string[] = [];
  while (toks[look]?.t === 'var' && !toks[look].v.includes('.', 1)) {
    vars.push(toks[look].v);
    look++;
    if (toks[look]?.v === ',') look++;
    else break;
  }
  if (vars.length && (toks[look]?.v === ':=' || toks[look]?.v === '=')) {
    pipe.decl = vars;
    pipe.assign = toks[look].v === '=';
    pos.i = look + 1;
  }
  let cmd: Arg[] = [];
  while (pos.i < toks.length) {
    const t = toks[pos.i];
    if (closing && t.v === closing && t.t === 'op') break;
    pos.i++;
    if (t.t === 'op' && t.v === '|') {
      if (!cmd.length) throw new TemplateError('template: missing command before |');
      pipe.cmds.push(cmd);
      cmd = [];
    } else if (t.t === 'op' && t.v === '(') {
      const inner = parsePipe(toks, pos, ')');
      if (toks[pos.i]?.v !== ')') throw new TemplateError('template: unclosed left paren');
      pos.i++;
      let path: string[] = [];
      if (toks[pos.i]?.t === 'field' && toks[pos.i].v !== '.') path = toks[pos.i++].v.slice(1).split('.');
      cmd.push({ k: 'pipe', pipe: inner, path });
    } else if (t.t === 'str') cmd.push({ k: 'lit', v: t.v });
    else if (t.t === 'num') cmd.push({ k: 'lit', v: Number(t.v) });
    else if (t.t === 'field') cmd.push({ k: 'field', base: 'dot', path: t.v === '.' ? [] : t.v.slice(1).split('.') });
    else if (t.t === 'var') {
      const [name, ...path] = t.v.split('.');
      cmd.push({ k: 'field', base: name, path });
    } else if (t.t === 'ident') {
      if (t.v === 'true' || t.v === 'false') cmd.push({ k: 'lit', v: t.v === 'true' });
      else if (t.v === 'nil') cmd.push({ k: 'lit', v: null });
      else cmd.push({ k: 'ident', name: t.v });
    } else throw new TemplateError(`template: unexpected ${t.v} in command`);
  }
  if (cmd.length) pipe.cmds.push(cmd);
  if (!pipe.cmds.length) throw new TemplateError('template: missing value for command');
  return pipe;
}

function parse(src: string): Node[] {
  const pieces = split(src);
  let i = 0;
  const block = (ends: string[]): { nodes: Node[]; end: string; rest: string } => {
    const nodes: Node[] = [];
    while (i < pieces.length) {
      const p = pieces[i++];
      if (typeof p === 'string') {
        nodes.push({ k: 'text', s: p });
        continue;
      }
      const text = p.text;
      if (text.startsWith('/*')) {
        if (!text.endsWith('*/')) throw new TemplateError('template: unclosed comment');
        continue;
      }
      const word = /^[a-z]+/.exec(text)?.[0] ?? '';
      const rest = text.slice(word.length).trim();
      if (ends.includes(word)) return { nodes, end: word, rest };
      if (word === 'if' || word === 'with' || word === 'range') nodes.push(control(word, rest));
      else if (word === 'break' || word === 'continue') nodes.push({ k: word });
      else if (word === 'define' || word === 'template' || word === 'block') throw new TemplateError(`template: {{${word}}} is not supported`);
      else if (word === 'end' || word === 'else') throw new TemplateError(`template: unexpected {{${word}}}`);
      else nodes.push({ k: 'action', pipe: parsePipe(tokens(text)) });
    }
    if (ends.length) throw new TemplateError('template: unexpected EOF');
    return { nodes, end: '', rest: '' };
  };
  const control = (word: 'if' | 'with' | 'range', rest: string): Node => {
    const pipe = parsePipe(tokens(rest));
    const body = block(['else', 'end']);
    let elseNodes: Node[] = [];
    if (body.end === 'else') {
      // {{else if …}} / {{else with …}} nest a control node in the else branch.
      const chained = /^(if|with)\b/.exec(body.rest);
      if (chained) elseNodes = [control(chained[1] as 'if' | 'with', body.rest.slice(chained[1].length).trim())];
      else elseNodes = block(['end']).nodes;
    }
    return { k: word, pipe, then: body.nodes, else: elseNodes };
  };
  return block([]).nodes;
}

// ---------- evaluation ----------

class Flow {
  constructor(readonly kind: 'break' | 'continue') {}
}

function truth(v: TValue): boolean {
  if (v === null || v === NO_VALUE || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v).length > 0;
  return true;
}

/** fmt's %v of the JSON values Go sees (float64 numbers, []interface{}, map[string]interface{}). */
export function printValue(v: TValue): string {
  if (v === NO_VALUE) return '<no value>';
  if (v === null) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return goSprintf('%v', [{ t: 'float64', v }]);
  if (Array.isArray(v)) return `[${v.map(printValue).join(' ')}]`;
  return `map[${Object.keys(v)
    .sort()
    .map((k) => `${k}:${printValue(v[k])}`)
    .join(' ')}]`;
}

function fieldOf(v: TValue, name: string): TValue {
  if (v && typeof v === 'object' && !Array.isArray(v)) return name in v ? v[name] : NO_VALUE;
  throw new TemplateError(`template: can't evaluate field ${name} in type ${v === null || v === NO_VALUE ? 'interface {}' : Array.isArray(v) ? '[]interface {}' : typeof v}`);
}

function compareValues(name: string, a: TValue, b: TValue): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (name === 'eq' || name === 'ne') return a === b ? 0 : 1;
  throw new TemplateError(`template: error calling ${name}: incompatible types for comparison`);
}

/** fmt.Sprint: a space between operands when neither is a string. */
const printArgs = (a: TValue[]): string => a.map((x, i) => (i > 0 && typeof x !== 'string' && typeof a[i - 1] !== 'string' ? ' ' : '') + printValue(x)).join('');

const FUNCS: Record<string, (args: TValue[]) => TValue> = {
  and: (a) => a.find((x) => !truth(x)) ?? a[a.length - 1],
  or: (a) => a.find(truth) ?? a[a.length - 1],
  not: (a) => !truth(a[0]),
  len: ([x]) => {
    if (typeof x === 'string') return Buffer.byteLength(x);
    if (Array.isArray(x)) return x.length;
    if (x && typeof x === 'object') return Object.keys(x).length;
    throw new TemplateError('template: error calling len: len of type');
  },
  index: ([x, ...keys]) =>
    keys.reduce<TValue>((acc, k) => {
      if (Array.isArray(acc) && typeof k === 'number') {
        if (k < 0 || k >= acc.length) throw new TemplateError(`template: error calling index: index out of range: ${k}`);
        return acc[k];
      }
      if (acc && typeof acc === 'object' && !Array.isArray(acc) && typeof k === 'string') return k in acc ? acc[k] : null;
      throw new TemplateError("template: error calling index: can't index item");
    }, x),
  print: (a) => printArgs(a),
  println: (a) => a.map(printValue).join(' ') + '\n',
  printf: ([f, ...rest]) =>
    goSprintf(
      String(f),
      // JSON numbers reach Go as float64 (so %d of one prints %!d(float64=…), as in OPA).
      rest.map((x) => (typeof x === 'number' ? { t: 'float64' as const, v: x } : { t: 'string' as const, v: printValue(x) })),
    ),
  eq: ([a, ...bs]) => bs.some((b) => compareValues('eq', a, b) === 0),
  ne: ([a, b]) => compareValues('ne', a, b) !== 0,
  lt: ([a, b]) => compareValues('lt', a, b) < 0,
  le: ([a, b]) => compareValues('le', a, b) <= 0,
  gt: ([a, b]) => compareValues('gt', a, b) > 0,
  ge: ([a, b]) => compareValues('ge', a, b) >= 0,
  html: (a) =>
    printArgs(a)
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&#34;')
      .replace(/'/g, '&#39;'),
  js: (a) => JSON.stringify(printArgs(a)).slice(1, -1).replace(/'/g, "\\'").replace(/</g, '\\u003C').replace(/>/g, '\\u003E'),
  urlquery: (a) => encodeURIComponent(printArgs(a)).replace(/%20/g, '+'),
};

interface Scope {
  vars: Array<[string, TValue]>;
  /** Charges work to the evaluation budget (a template can loop). */
  charge: (units: number) => void;
}

function lookupVar(scope: Scope, name: string): TValue {
  for (let i = scope.vars.length - 1; i >= 0; i--) if (scope.vars[i][0] === name) return scope.vars[i][1];
  throw new TemplateError(`template: undefined variable "${name}"`);
}

function evalArg(a: Arg, dot: TValue, scope: Scope, final?: TValue): TValue {
  switch (a.k) {
    case 'lit':
      return a.v;
    case 'field': {
      let v = a.base === 'dot' ? dot : lookupVar(scope, a.base);
      for (const p of a.path) v = fieldOf(v, p);
      return v;
    }
    case 'pipe': {
      let v = evalPipe(a.pipe, dot, scope);
      for (const p of a.path) v = fieldOf(v, p);
      return v;
    }
    case 'ident': {
      const f = FUNCS[a.name];
      if (!f) throw new TemplateError(`template: function "${a.name}" not defined`);
      return f(final === undefined ? [] : [final]);
    }
  }
}

function evalPipe(pipe: Pipe, dot: TValue, scope: Scope): TValue {
  let value: TValue | undefined;
  for (const cmd of pipe.cmds) {
    const [head, ...rest] = cmd;
    if (head.k === 'ident') {
      const f = FUNCS[head.name];
      if (!f) throw new TemplateError(`template: function "${head.name}" not defined`);
      const args = rest.map((x) => evalArg(x, dot, scope));
      if (value !== undefined) args.push(value);
      value = f(args);
    } else {
      if (rest.length) throw new TemplateError(`template: can't give argument to non-function ${head.k === 'lit' ? printValue(head.v) : '.'}`);
      if (value !== undefined) throw new TemplateError('template: non-function in pipeline cannot take an argument');
      value = evalArg(head, dot, scope);
    }
  }
  const v = value === undefined ? null : value;
  if (pipe.decl.length === 1) {
    if (pipe.assign) {
      const i = scope.vars.map((x) => x[0]).lastIndexOf(pipe.decl[0]);
      if (i < 0) throw new TemplateError(`template: undefined variable "${pipe.decl[0]}"`);
      scope.vars[i][1] = v;
    } else scope.vars.push([pipe.decl[0], v]);
  }
  return v;
}

/** What {{range}} iterates: array elements, map entries in key order, or 0…n-1 for an integer (Go 1.22). */
function rangeItems(v: TValue): { count: number; each: () => Iterable<[TValue, TValue]> } {
  if (Array.isArray(v)) return { count: v.length, each: () => v.map((x, i): [TValue, TValue] => [i, x]) };
  if (v === null || v === NO_VALUE) return { count: 0, each: () => [] };
  if (typeof v === 'object') {
    const keys = Object.keys(v).sort();
    return { count: keys.length, each: () => keys.map((k): [TValue, TValue] => [k, v[k]]) };
  }
  if (typeof v === 'number' && Number.isInteger(v)) {
    return {
      count: Math.max(0, v),
      // Lazily: a large count is stopped by the evaluation budget, not by building it first.
      each: function* () {
        for (let i = 0; i < v; i++) yield [i, i];
      },
    };
  }
  throw new TemplateError(`template: range can't iterate over ${printValue(v)}`);
}

function run(nodes: Node[], dot: TValue, scope: Scope, out: string[]): void {
  for (const n of nodes) {
    scope.charge(1);
    switch (n.k) {
      case 'text':
        out.push(n.s);
        break;
      case 'action': {
        const v = evalPipe(n.pipe, dot, scope);
        if (n.pipe.decl.length === 0) out.push(printValue(v));
        break;
      }
      case 'if':
      case 'with': {
        const mark = scope.vars.length;
        const v = evalPipe(n.pipe, dot, scope);
        if (truth(v)) run(n.then, n.k === 'with' ? v : dot, scope, out);
        else run(n.else, dot, scope, out);
        scope.vars.length = mark;
        break;
      }
      case 'range': {
        const mark = scope.vars.length;
        const decl = n.pipe.decl;
        const v = evalPipe({ ...n.pipe, decl: [] }, dot, scope);
        const items = rangeItems(v);
        if (items.count === 0) run(n.else, dot, scope, out);
        for (const [k, x] of items.each()) {
          const inner = scope.vars.length;
          if (decl.length === 1) scope.vars.push([decl[0], x]);
          if (decl.length === 2) scope.vars.push([decl[0], k], [decl[1], x]);
          try {
            run(n.then, x, scope, out);
          } catch (e) {
            if (!(e instanceof Flow)) throw e;
            if (e.kind === 'break') break;
          } finally {
            scope.vars.length = inner;
          }
        }
        scope.vars.length = mark;
        break;
      }
      case 'break':
      case 'continue':
        throw new Flow(n.k);
    }
  }
}

/** Executes `src` against `data` as Go's template.Execute would (errors are TemplateError). */
export function executeTemplate(src: string, data: TValue, charge?: (units: number) => void): string {
  const nodes = parse(src);
  const out: string[] = [];
  run(nodes, data, { vars: [['$', data]], charge: charge ?? (() => {}) }, out);
  return out.join('');
}
