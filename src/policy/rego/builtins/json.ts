/** json.marshal, json.marshal_with_options, json.unmarshal, json.is_valid (OPA topdown/encoding.go). */
import type { BuiltinDef } from '../builtin-types.ts';
import { fromJSONText } from '../value.ts';
import type { Value } from '../value.ts';
import { goJSON } from './go-json.ts';
import { evalErr, obj, str } from './operands.ts';

export function parseJSON(name: string, text: string): Value {
  try {
    return fromJSONText(text);
  } catch (e) {
    throw evalErr(name, (e as Error).message);
  }
}

function marshalWithOptions(a: Value[]): Value {
  const n = 'json.marshal_with_options';
  const opts = obj(n, a, 1);
  let pretty: boolean | undefined;
  let prefix = '';
  let indent = '\t';
  let hasLayout = false;
  for (const [k, v] of opts.entries()) {
    if (k === 'pretty') {
      if (typeof v !== 'boolean') throw evalErr(n, 'pretty option must be a boolean');
      pretty = v;
    } else if (k === 'indent' || k === 'prefix') {
      if (typeof v !== 'string') throw evalErr(n, `${k} option must be a string`);
      if (k === 'indent') indent = v;
      else prefix = v;
      hasLayout = true;
    } else throw evalErr(n, `object contained unknown key ${typeof k === 'string' ? k : goJSON(k)}`);
  }
  // Giving indent or prefix implies pretty unless pretty is explicitly false.
  const doPretty = pretty ?? hasLayout;
  return doPretty ? goJSON(a[0], { prefix, indent }) : goJSON(a[0]);
}

export const jsonBuiltins: BuiltinDef[] = [
  { name: 'json.marshal', arity: 1, fn: (a) => goJSON(a[0]) },
  { name: 'json.marshal_with_options', arity: 2, fn: marshalWithOptions },
  { name: 'json.unmarshal', arity: 1, fn: (a) => parseJSON('json.unmarshal', str('json.unmarshal', a, 0)) },
  {
    name: 'json.is_valid',
    arity: 1,
    fn: (a) => {
      if (typeof a[0] !== 'string') return false;
      try {
        JSON.parse(a[0]);
        return true;
      } catch {
        return false;
      }
    },
  },
];

