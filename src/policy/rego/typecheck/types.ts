/**
 * OPA's static types (ast/types): scalars, arrays and objects with a static part and/or a dynamic
 * part, sets, `any` and unions (`any<…>`), written and read in OPA's own notation so that messages
 * show what OPA shows (`any<string, array[any], object[any: any], set[any]>`).
 */
import { RObject, RSet, isNum, toJSONText } from '../value.ts';
import type { Value } from '../value.ts';

export type Type =
  | { k: 'any'; of?: Type[] }
  | { k: 'null' | 'boolean' | 'number' | 'string' }
  | { k: 'array'; items?: Type[]; dyn?: Type }
  | { k: 'object'; props?: Array<[string, Type]>; dyn?: [Type, Type] }
  | { k: 'set'; of: Type };

export const ANY: Type = { k: 'any' };
export const T_NUMBER: Type = { k: 'number' };
export const T_STRING: Type = { k: 'string' };
export const T_BOOLEAN: Type = { k: 'boolean' };

const RANK: Record<Type['k'], number> = { null: 0, boolean: 1, number: 2, string: 3, array: 4, object: 5, set: 6, any: 7 };

export function show(t: Type): string {
  switch (t.k) {
    case 'any':
      return t.of ? `any<${[...t.of].sort((a, b) => RANK[a.k] - RANK[b.k]).map(show).join(', ')}>` : 'any';
    case 'array': {
      const st = t.items && t.items.length ? `<${t.items.map(show).join(', ')}>` : '';
      const dy = t.dyn ? `[${show(t.dyn)}]` : '';
      return `array${st}${dy || (st ? '' : '[any]')}`;
    }
    case 'object': {
      const st = t.props && t.props.length ? `<${t.props.map(([k, v]) => `${k}: ${show(v)}`).join(', ')}>` : '';
      const dy = t.dyn ? `[${show(t.dyn[0])}: ${show(t.dyn[1])}]` : '';
      return `object${st}${dy || (st ? '' : '[any: any]')}`;
    }
    case 'set':
      return `set[${show(t.of)}]`;
    default:
      return t.k;
  }
}

/** The members of a union (a single type is its own only member); `undefined` for the top `any`. */
function members(t: Type): Type[] | undefined {
  if (t.k !== 'any') return [t];
  return t.of;
}

export function union(ts: Type[]): Type {
  const out: Type[] = [];
  for (const t of ts) {
    const ms = members(t);
    if (!ms) return ANY;
    for (const m of ms) if (!out.some((o) => show(o) === show(m))) out.push(m);
  }
  if (out.length === 0) return ANY;
  return out.length === 1 ? out[0] : { k: 'any', of: out };
}

/** The element type of a collection type (values of objects); `any` when unknown. */
export function elemOf(t: Type): Type {
  if (t.k === 'array') return union([...(t.items ?? []), ...(t.dyn ? [t.dyn] : [])]);
  if (t.k === 'set') return t.of;
  if (t.k === 'object') return union([...(t.props ?? []).map(([, v]) => v), ...(t.dyn ? [t.dyn[1]] : [])]);
  return ANY;
}

/**
 * Whether a value of type `have` may be of type `want` (OPA's unify: fails only where the types
 * cannot meet). Static elements must each meet the wanted element type.
 */
export function meets(have: Type, want: Type): boolean {
  if (have.k === 'any' || want.k === 'any') {
    const hs = members(have);
    const ws = members(want);
    if (!hs || !ws) return true;
    return hs.some((h) => ws.some((w) => meets(h, w)));
  }
  if (have.k !== want.k) return false;
  if (have.k === 'array' && want.k === 'array') {
    const hi = have.items ?? [];
    for (let i = 0; i < hi.length; i++) {
      const w = want.items && i < want.items.length ? want.items[i] : want.dyn;
      if (!w || !meets(hi[i], w)) return false;
    }
    if (want.items && !want.dyn && hi.length > want.items.length) return false;
    if (have.dyn && want.dyn && !meets(have.dyn, want.dyn)) return false;
    return true;
  }
  if (have.k === 'object' && want.k === 'object') {
    if (!want.dyn) return true;
    for (const [, v] of have.props ?? []) if (!meets(T_STRING, want.dyn[0]) || !meets(v, want.dyn[1])) return false;
    if (have.dyn && !(meets(have.dyn[0], want.dyn[0]) && meets(have.dyn[1], want.dyn[1]))) return false;
    return true;
  }
  if (have.k === 'set' && want.k === 'set') return meets(have.of, want.of);
  return true;
}

/** The static type of a value (composite values keep their static structure, as OPA's TypeOf). */
export function typeOfValue(v: Value): Type {
  if (v === null) return { k: 'null' };
  if (typeof v === 'boolean') return T_BOOLEAN;
  if (typeof v === 'string') return T_STRING;
  if (isNum(v)) return T_NUMBER;
  if (Array.isArray(v)) return { k: 'array', items: v.map(typeOfValue) };
  if (v instanceof RSet) {
    const vs = [...v.values()];
    return { k: 'set', of: vs.length ? union(vs.map(typeOfValue)) : ANY };
  }
  const o = v as RObject;
  const props: Array<[string, Type]> = [];
  for (const [k, x] of o.entries()) {
    if (typeof k !== 'string') return { k: 'object', dyn: [ANY, ANY] };
    props.push([k, typeOfValue(x)]);
  }
  return { k: 'object', props };
}

/** Key text as OPA prints a static object key or a ref's path element. */
export function keyText(v: Value): string {
  return toJSONText(v);
}

/** Reads OPA's notation (`any<string, array[any]>`, `object[string: string]`, `array<number>`, `set[any]`). */
export function parseType(src: string): Type {
  let i = 0;
  const ws = () => {
    while (src[i] === ' ') i++;
  };
  const word = () => {
    ws();
    const m = /^[a-z_]+/.exec(src.slice(i));
    if (!m) throw new Error(`type notation: expected a name at ${i} in ${src}`);
    i += m[0].length;
    return m[0];
  };
  const eat = (ch: string) => {
    ws();
    if (src[i] !== ch) return false;
    i++;
    return true;
  };
  const list = (close: string): Type[] => {
    const out: Type[] = [];
    do out.push(one());
    while (eat(','));
    if (!eat(close)) throw new Error(`type notation: expected ${close} in ${src}`);
    return out;
  };
  const one = (): Type => {
    const w = word();
    switch (w) {
      case 'any':
        return eat('<') ? { k: 'any', of: list('>') } : ANY;
      case 'null':
      case 'boolean':
      case 'number':
      case 'string':
        return { k: w };
      case 'set': {
        if (!eat('[')) return { k: 'set', of: ANY };
        const of = one();
        eat(']');
        return { k: 'set', of };
      }
      case 'array': {
        const t: Type = { k: 'array' };
        if (eat('<')) t.items = list('>');
        if (eat('[')) {
          t.dyn = one();
          eat(']');
        }
        if (!t.items && !t.dyn) t.dyn = ANY;
        return t;
      }
      case 'object': {
        const t: Type = { k: 'object' };
        if (eat('[')) {
          const key = one();
          eat(':');
          const val = one();
          eat(']');
          t.dyn = [key, val];
        } else t.dyn = [ANY, ANY];
        return t;
      }
      default:
        throw new Error(`type notation: unknown type ${w} in ${src}`);
    }
  };
  const t = one();
  ws();
  if (i !== src.length) throw new Error(`type notation: trailing text in ${src}`);
  return t;
}
