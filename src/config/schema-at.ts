/** Walk a zod schema along a data path, to find what a field accepts (keys, description). */
import type { z } from 'zod';
import type { PathSegment } from './problem.ts';

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  element?: z.ZodType;
  valueType?: z.ZodType;
}

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { def: Def }).def;
}

/** Strip default/optional/nullable wrappers. */
export function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (let i = 0; i < 16; i++) {
    const def = defOf(s);
    if ((def.type === 'default' || def.type === 'optional' || def.type === 'nullable' || def.type === 'prefault') && def.innerType) s = def.innerType;
    else break;
  }
  return s;
}

/** The (unwrapped) schema at `path`, or undefined when the path leaves the schema. */
export function schemaAt(root: z.ZodType, path: readonly PathSegment[]): z.ZodType | undefined {
  let s: z.ZodType | undefined = unwrap(root);
  for (const seg of path) {
    if (s === undefined) return undefined;
    const def = defOf(s);
    if (def.type === 'object' && def.shape) s = Object.hasOwn(def.shape, String(seg)) ? def.shape[String(seg)] : undefined;
    else if (def.type === 'array' && def.element) s = def.element;
    else if (def.type === 'record' && def.valueType) s = def.valueType;
    else return undefined;
    if (s !== undefined) s = unwrap(s);
  }
  return s;
}

/** Field names accepted by the object schema at `path` (empty when it is not an object). */
export function allowedKeys(root: z.ZodType, path: readonly PathSegment[]): string[] {
  const s = schemaAt(root, path);
  const def = s && defOf(s);
  return def?.type === 'object' && def.shape ? Object.keys(def.shape) : [];
}

export function describeField(root: z.ZodType, path: readonly PathSegment[]): string | undefined {
  return schemaAt(root, path)?.description;
}
