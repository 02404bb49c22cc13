/** Map a field path back to its place in the YAML source. */
import { isMap, isScalar, isSeq } from 'yaml';
import type { PathSegment } from './problem.ts';
import type { YamlSource } from './parse-yaml.ts';
import { position } from './parse-yaml.ts';

export interface Located {
  readonly line: number;
  readonly col: number;
  /** True when the whole path was found; false when the position is that of the deepest existing parent. */
  readonly exact: boolean;
}

/**
 * Position of the value at `path` (or of its key, with `key: true`). When the path does not exist
 * (a missing field), the deepest existing ancestor is returned.
 */
export function locate(source: YamlSource, path: readonly PathSegment[], opts: { key?: boolean } = {}): Located {
  if (source.doc === null) return { line: 1, col: 1, exact: false };
  let node: unknown = source.doc.contents;
  let keyNode: unknown = null;
  for (const seg of path) {
    if (isMap(node)) {
      // The last occurrence wins, as in the parsed value.
      const pair = [...node.items].reverse().find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(seg));
      if (!pair) return { ...position(node, source.lineCounter), exact: false };
      keyNode = pair.key;
      node = pair.value ?? pair.key;
    } else if (isSeq(node) && typeof seg === 'number' && seg < node.items.length) {
      keyNode = null;
      node = node.items[seg];
    } else {
      return { ...position(node, source.lineCounter), exact: false };
    }
  }
  const target = opts.key && keyNode !== null ? keyNode : node;
  return { ...position(target, source.lineCounter), exact: true };
}
