/**
 * json.verify_schema and json.match_schema (OPA topdown/json.go). OPA validates with gojsonschema;
 * here ajv (draft-07 rules, which read draft-04/06 schemas the same way for the common keywords)
 * does the work and each error is written in gojsonschema's shape: {error, type, field, desc}.
 */
import { Ajv } from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { BuiltinContext, BuiltinDef } from '../builtin-types.ts';
import { fromJS, RObject, toJS } from '../value.ts';
import type { Value } from '../value.ts';
import { goJSON } from './go-json.ts';
import { evalErr, typeErr } from './operands.ts';

// ajv-formats is CommonJS with `exports.default`; under NodeNext its default import is the module object.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

const ajv = addFormats(new Ajv({ strict: false, allErrors: true, logger: false, validateSchema: true, verbose: true }));

const PRIMITIVES = ['array', 'boolean', 'integer', 'number', 'null', 'object', 'string'];

/** A schema or document operand: a JSON string, or a value (object, or boolean for schemas). */
function jsonOperand(name: string, v: Value, pos: number, what: 'schema' | 'document'): unknown {
  if (typeof v === 'string') {
    try {
      return JSON.parse(v);
    } catch (e) {
      throw evalErr(name, `${what} is not valid JSON: ${(e as Error).message}`);
    }
  }
  if (what === 'schema' && !(v instanceof RObject) && typeof v !== 'boolean') throw typeErr(name, pos, v, 'string', 'boolean', 'object');
  return toJS(v);
}

/** gojsonschema's own check of `type` keywords, with its message. */
function checkTypes(schema: unknown): void {
  if (!schema || typeof schema !== 'object') return;
  if (Array.isArray(schema)) return schema.forEach(checkTypes);
  const o = schema as Record<string, unknown>;
  const types = typeof o.type === 'string' ? [o.type] : Array.isArray(o.type) ? o.type : [];
  for (const t of types)
    if (typeof t === 'string' && !PRIMITIVES.includes(t)) throw new Error(`has a primitive type that is NOT VALID -- given: /${t}/ Expected valid values are:[${PRIMITIVES.join(' ')}]`);
  for (const v of Object.values(o)) checkTypes(v);
}

/**
 * gojsonschema accepts `"enum": []` (nothing matches); ajv refuses to compile it, so such an enum
 * becomes an `allOf` member that nothing satisfies.
 */
function withoutEmptyEnums(schema: unknown): unknown {
  if (!schema || typeof schema !== 'object') return schema;
  if (Array.isArray(schema)) return schema.map(withoutEmptyEnums);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) out[k] = k === 'enum' || k === 'const' ? v : withoutEmptyEnums(v);
  if (Array.isArray(out.enum) && out.enum.length === 0) {
    delete out.enum;
    out.allOf = [...(Array.isArray(out.allOf) ? out.allOf : []), false];
  }
  return out;
}

/** Compiles a schema (cached per evaluation by its JSON text). */
function compileSchema(schema: unknown, ctx: BuiltinContext): ValidateFunction {
  const key = `json-schema:${JSON.stringify(schema)}`;
  const hit = ctx.cache.get(key) as ValidateFunction | Error | undefined;
  if (hit instanceof Error) throw hit;
  if (hit) return hit;
  try {
    checkTypes(schema);
    const v = ajv.compile(withoutEmptyEnums(schema) as object);
    ctx.cache.set(key, v);
    return v;
  } catch (e) {
    const err = new Error((e as Error).message);
    ctx.cache.set(key, err);
    throw err;
  }
}

/** gojsonschema's field path: "(root)" or the dotted property path. */
function fieldOf(e: ErrorObject): string {
  const parts = e.instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (e.keyword === 'required') return parts.length ? parts.join('.') : '(root)';
  return parts.length ? parts.join('.') : '(root)';
}

const typeName = (x: unknown): string => (x === null ? 'null' : Array.isArray(x) ? 'array' : Number.isInteger(x) ? 'integer' : typeof x);

/** One ajv error as gojsonschema's ResultError: its type and description. */
function describe(e: ErrorObject): { type: string; desc: string } {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'type':
      return { type: 'invalid_type', desc: `Invalid type. Expected: ${String(p.type).split(',').join(', ')}, given: ${typeName(e.data)}` };
    case 'required':
      return { type: 'required', desc: `${String(p.missingProperty)} is required` };
    case 'enum':
      return { type: 'enum', desc: `${fieldOf(e)} must be one of the following: ${((p.allowedValues as unknown[]) ?? []).map((x) => goJSON(fromJS(x))).join(', ')}` };
    case 'const':
      return { type: 'const', desc: `${fieldOf(e)} does not match: ${goJSON(fromJS(p.allowedValue))}` };
    case 'additionalProperties':
      return { type: 'additional_property_not_allowed', desc: `Additional property ${String(p.additionalProperty)} is not allowed` };
    case 'minimum':
    case 'exclusiveMinimum':
      return { type: 'number_gte', desc: `Must be greater than ${e.keyword === 'minimum' ? 'or equal to ' : ''}${String(p.limit)}` };
    case 'maximum':
    case 'exclusiveMaximum':
      return { type: 'number_lte', desc: `Must be less than ${e.keyword === 'maximum' ? 'or equal to ' : ''}${String(p.limit)}` };
    case 'minLength':
      return { type: 'string_gte', desc: `String length must be greater than or equal to ${String(p.limit)}` };
    case 'maxLength':
      return { type: 'string_lte', desc: `String length must be less than or equal to ${String(p.limit)}` };
    case 'pattern':
      return { type: 'pattern', desc: `Does not match pattern '${String(p.pattern)}'` };
    case 'format':
      return { type: 'format', desc: `Does not match format '${String(p.format)}'` };
    case 'minItems':
      return { type: 'array_min_items', desc: `Array must have at least ${String(p.limit)} items` };
    case 'maxItems':
      return { type: 'array_max_items', desc: `Array must have at most ${String(p.limit)} items` };
    case 'uniqueItems':
      return { type: 'unique', desc: `array items[${String(p.j)},${String(p.i)}] must be unique` };
    case 'anyOf':
      return { type: 'number_any_of', desc: 'Must validate at least one schema (anyOf)' };
    case 'oneOf':
      return { type: 'number_one_of', desc: 'Must validate one and only one schema (oneOf)' };
    case 'not':
      return { type: 'number_not', desc: 'Must not validate the schema (not)' };
    case 'multipleOf':
      return { type: 'multiple_of', desc: `Must be a multiple of ${String(p.multipleOf)}` };
    case 'false schema':
      return { type: 'false', desc: 'False always fails validation' };
    default:
      return { type: e.keyword, desc: e.message ?? e.keyword };
  }
}

function matchSchema(args: Value[], ctx: BuiltinContext): Value {
  const name = 'json.match_schema';
  const doc = jsonOperand(name, args[0], 1, 'document');
  const schema = jsonOperand(name, args[1], 2, 'schema');
  let validate: ValidateFunction;
  try {
    validate = compileSchema(schema, ctx);
  } catch (e) {
    throw evalErr(name, (e as Error).message);
  }
  if (validate(doc)) return [true, []];
  const errors = (validate.errors ?? []).map((e) => {
    const field = fieldOf(e);
    const { type, desc } = describe(e);
    return new RObject([
      ['error', `${field}: ${desc}`],
      ['type', type],
      ['field', field],
      ['desc', desc],
    ]);
  });
  return [false, errors];
}

function verifySchema(args: Value[], ctx: BuiltinContext): Value {
  const schema = jsonOperand('json.verify_schema', args[0], 1, 'schema');
  try {
    compileSchema(schema, ctx);
    return [true, null];
  } catch (e) {
    return [false, (e as Error).message];
  }
}

export const jsonSchemaBuiltins: BuiltinDef[] = [
  {
    name: 'json.verify_schema',
    arity: 1,
    types: '(schema: any<string, boolean, object[any: any]>) => output: array<boolean, any<null, string>>',
    fn: verifySchema,
  },
  {
    name: 'json.match_schema',
    arity: 2,
    types:
      '(document: any<string, object[any: any], array[any]>, schema: any<string, boolean, object[any: any]>) => output: array<boolean, array[object[string: string]]>',
    fn: matchSchema,
  },
];
