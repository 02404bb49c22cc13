/**
 * Global node ids: the sandbox's REST `node_id` values (`base64("0:<kind><id>")`, objects/urls.ts) are the
 * GraphQL `id`s of the same objects, so an id read from REST resolves with `node(id:)` and as mutation input.
 */
import { nodeId } from '../objects/urls.ts';

export { nodeId };

export interface DecodedNodeId {
  readonly kind: string;
  readonly id: number;
}

/** The kind prefix and database id of a sandbox node id, or null when it is not one. */
export function decodeNodeId(value: string): DecodedNodeId | null {
  if (!/^[A-Za-z0-9+/]+$/.test(value)) return null;
  const text = Buffer.from(value, 'base64').toString('utf8');
  const m = /^0:([A-Za-z_]+?)(\d+)$/.exec(text);
  if (!m) return null;
  // Re-encoding must give the same id (rejects padding games and non-canonical spellings).
  if (nodeId(m[1], Number(m[2])) !== value) return null;
  return { kind: m[1], id: Number(m[2]) };
}
