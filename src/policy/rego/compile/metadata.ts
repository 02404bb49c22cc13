/**
 * rego.metadata.chain() and rego.metadata.rule(): OPA's AnnotationSet (ast/annotations.go) and its
 * compile stage RewriteRegoMetadataCalls. The calls are constants of the rule they are written in,
 * computed at compile time: the chain is the rule's own METADATA blocks (closest first), then the
 * `document` block of its path, the `package` block of its package (from any module of that package)
 * and the `subpackages` blocks of the package and its ancestors (closest first); each entry is
 * `{"path": [...], "annotations": {...}}`. `rule()` is the first entry's annotations, or `{}`.
 * A second `document`, `package` or `subpackages` block for the same path is OPA's
 * `rego_type_error: <scope> annotation redeclared: <file:row>`.
 */
import { problem } from '../errors.ts';
import type { Loc, RegoProblem } from '../errors.ts';
import { annotationValue } from '../syntax/annotations.ts';
import type { Annotation } from '../syntax/annotations.ts';
import type { Module, Rule } from '../syntax/ast.ts';
import { RObject } from '../value.ts';
import type { Value } from '../value.ts';

interface PathNode {
  value?: Annotation;
  children: Map<string, PathNode>;
}

const where = (l: Loc): string => `${l.file}:${l.line}`;

export class AnnotationSet {
  private readonly byRule = new Map<Rule, Annotation[]>();
  private readonly byPackage = new Map<string, Annotation>();
  private readonly byPath: PathNode = { children: new Map() };

  /** Builds the set from every module, in file-name order as OPA's compiler does; problems for redeclarations. */
  constructor(modules: Module[], problems: RegoProblem[]) {
    const sorted = [...modules].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
    for (const m of sorted) {
      for (const { a, target } of m.annotations) {
        const redeclared = (other: Annotation): void => {
          problems.push(problem(a.loc, 'rego_type_error', `${a.scope} annotation redeclared: ${where(other.loc)}`));
        };
        if (a.scope === 'rule' && target?.k === 'rule') {
          const r = m.rules[target.index];
          this.byRule.set(r, [...(this.byRule.get(r) ?? []), a]);
        } else if (a.scope === 'package' && target?.k === 'package') {
          const key = m.pkg.join('\u0000');
          const prev = this.byPackage.get(key);
          if (prev) redeclared(prev);
          else this.byPackage.set(key, a);
        } else if (a.scope === 'document' && target?.k === 'rule') {
          const path = [...m.pkg, ...groundPrefix(m.rules[target.index], m)];
          const prev = this.get(path)?.value;
          if (prev) redeclared(prev);
          else this.insert(path, a);
        } else if (a.scope === 'subpackages' && target?.k === 'package') {
          const node = this.get(m.pkg);
          if (node?.value) redeclared(node.value);
          else this.insert(m.pkg, a);
        }
      }
    }
  }

  private get(path: string[]): PathNode | undefined {
    let n: PathNode | undefined = this.byPath;
    for (const k of path) {
      n = n.children.get(k);
      if (!n) return undefined;
    }
    return n;
  }

  private insert(path: string[], a: Annotation): void {
    let n = this.byPath;
    for (const k of path) {
      let c = n.children.get(k);
      if (!c) {
        c = { children: new Map() };
        n.children.set(k, c);
      }
      n = c;
    }
    n.value = a;
  }

  /**
   * The chain of a rule (`rule` as parsed; its `else` clauses and chained bodies are rules of their own
   * in OPA without the rule's blocks, so `own` is false for them).
   */
  chain(rule: Rule, mod: Module, own: boolean): Value[] {
    const path = [...mod.pkg, ...groundPrefix(rule, mod)];
    const entry = (p: string[], a: Annotation): RObject =>
      new RObject([
        ['path', p],
        ['annotations', annotationValue(a)],
      ]);
    const out: Value[] = [];
    const mine = own ? [...(this.byRule.get(rule) ?? [])] : [];
    // Closest block first: the one declared last above the rule.
    mine.sort((x, y) => y.loc.line - x.loc.line || y.loc.col - x.loc.col);
    if (mine.length) for (const a of mine) out.push(entry(path, a));
    else out.push(new RObject([['path', path]]));
    const doc = this.get(path)?.value;
    if (doc && doc.scope === 'document') out.push(entry(path, doc));
    const pkg = this.byPackage.get(mod.pkg.join('\u0000'));
    if (pkg) out.push(entry(mod.pkg, pkg));
    const sub: Array<[string[], Annotation]> = [];
    let n: PathNode | undefined = this.byPath;
    for (let i = 0; i < mod.pkg.length && n; i++) {
      n = n.children.get(mod.pkg[i]);
      if (n?.value && n.value.scope === 'subpackages') sub.push([mod.pkg.slice(0, i + 1), n.value]);
    }
    for (const [p, a] of sub.reverse()) out.push(entry(p, a));
    return out;
  }
}

/**
 * The ground prefix of a rule's head ref without `data` and the package (OPA's Ref.GroundPrefix):
 * the name, then each head term up to the first that is not a scalar. A v0 partial set `p[x] { … }`
 * is the document `p`.
 */
export function groundPrefix(rule: Rule, mod: Module): string[] {
  const out: string[] = [];
  const v0Set = mod.version === 'v0' && !rule.value && !rule.isDefault && !rule.contains && !rule.args && rule.head.length === 2;
  if (v0Set && rule.head[0].t === 'var') return [rule.head[0].name];
  for (const t of rule.head) {
    if (t.t === 'var' && out.length === 0) out.push(t.name);
    else if (t.t === 'scalar' && typeof t.value === 'string') out.push(t.value);
    else break;
  }
  return out;
}

/** `rego.metadata.rule()`: the first chain entry's annotations, `{}` when it has none. */
export function ruleMetadata(chain: Value[]): Value {
  const first = chain[0];
  return (first instanceof RObject ? first.get('annotations') : undefined) ?? new RObject();
}
