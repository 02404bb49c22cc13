/**
 * GraphQL schemas as gqlparser loads them (vektah/gqlparser/v2 validator/schema.go, which OPA uses):
 * extensions of undeclared types declare them, no Query type is required, and each type, field,
 * argument and directive use is checked by gqlparser's rules. Queries are then validated by graphql-js
 * (the rules gqlparser ports) against a schema printed from the loaded one.
 */
import { buildSchema, GraphQLError, parse, validate } from 'graphql';
import type { DocumentNode } from 'graphql';
import type { Json } from './graphql-ast.ts';

export class GraphQLSchemaError extends Error {}

type Obj = Record<string, Json>;

export interface QueryInput {
  /** Parsed by graphql-js when the query was text. */
  doc?: DocumentNode;
  /** gqlparser's AST (pruned JSON). */
  json: Json;
}

interface TypeRef {
  NamedType?: string;
  Elem?: TypeRef;
  NonNull?: boolean;
}

interface Loaded {
  types: Map<string, Obj>;
  directives: Map<string, Obj>;
  roots: Array<[string, string]>;
}

const PRELUDE_SCALARS = ['Int', 'Float', 'String', 'Boolean', 'ID'];
const INTROSPECTION = ['__Schema', '__Type', '__TypeKind', '__Field', '__InputValue', '__EnumValue', '__DirectiveLocation', '__Directive'];

/** gqlparser's prelude directives (name → locations, arguments). */
const PRELUDE_DIRECTIVES: Record<string, { locations: string[]; args: Array<{ Name: string; Type: TypeRef; DefaultValue?: Obj }> }> = {
  include: { locations: ['FIELD', 'FRAGMENT_SPREAD', 'INLINE_FRAGMENT'], args: [{ Name: 'if', Type: { NamedType: 'Boolean', NonNull: true } }] },
  skip: { locations: ['FIELD', 'FRAGMENT_SPREAD', 'INLINE_FRAGMENT'], args: [{ Name: 'if', Type: { NamedType: 'Boolean', NonNull: true } }] },
  deprecated: {
    locations: ['FIELD_DEFINITION', 'ARGUMENT_DEFINITION', 'INPUT_FIELD_DEFINITION', 'ENUM_VALUE'],
    args: [{ Name: 'reason', Type: { NamedType: 'String' }, DefaultValue: { Kind: 3, Raw: 'No longer supported' } }],
  },
  specifiedBy: { locations: ['SCALAR'], args: [{ Name: 'url', Type: { NamedType: 'String', NonNull: true } }] },
  oneOf: { locations: ['INPUT_OBJECT'], args: [] },
};

const fail = (msg: string): never => {
  throw new GraphQLSchemaError(msg);
};

const list = (x: Json | undefined): Obj[] => (Array.isArray(x) ? (x as Obj[]) : []);
const strs = (x: Json | undefined): string[] => (Array.isArray(x) ? (x as string[]) : []);
const s = (x: Json | undefined): string => (typeof x === 'string' ? x : '');
const named = (t: TypeRef | undefined): string => (t ? (t.NamedType ? t.NamedType : named(t.Elem)) : '');
const typeOf = (x: Obj): TypeRef => (x.Type ?? {}) as TypeRef;

function validateName(name: string): void {
  if (name.startsWith('__')) fail(`Name "${name}" must not begin with "__", which is reserved by GraphQL introspection.`);
}

function validateTypeRef(l: Loaded, t: TypeRef): void {
  const n = named(t);
  if (!l.types.has(n)) fail(`Undefined type ${n}.`);
}

function validateDirectives(l: Loaded, dirs: Json | undefined, location: string, current?: string): void {
  for (const d of list(dirs)) {
    const name = s(d.Name);
    validateName(name);
    if (current && name === current) fail(`Directive ${name} cannot refer to itself.`);
    const def = l.directives.get(name);
    if (!def) fail(`Undefined directive ${name}.`);
    if (!strs(def!.Locations).includes(location)) fail(`Directive ${name} is not applicable on ${location}.`);
    const given = list(d.Arguments);
    for (const a of given) if (!list(def!.Arguments).some((x) => x.Name === a.Name)) fail(`Undefined argument ${s(a.Name)} for directive ${name}.`);
    for (const a of list(def!.Arguments)) {
      if (typeOf(a).NonNull && !a.DefaultValue) {
        const arg = given.find((x) => x.Name === a.Name);
        if (!arg || (arg.Value as Obj | undefined)?.Kind === 6) fail(`Argument ${s(a.Name)} for directive ${name} cannot be null.`);
      }
    }
  }
}

const isInputKind = (k: string): boolean => k === 'SCALAR' || k === 'ENUM' || k === 'INPUT_OBJECT';

function validateArgs(l: Loaded, args: Json | undefined, current?: string): void {
  for (const a of list(args)) {
    validateName(s(a.Name));
    validateTypeRef(l, typeOf(a));
    const def = l.types.get(named(typeOf(a)))!;
    if (!isInputKind(s(def.Kind))) fail(`cannot use ${named(typeOf(a))} as argument ${s(a.Name)} because ${named(typeOf(a))} is not a valid input type`);
    validateDirectives(l, a.Directives, 'ARGUMENT_DEFINITION', current);
  }
}

/** gqlparser's isCovariant: a field of an implementing type may narrow the interface field's type. */
function covariant(l: Loaded, required: TypeRef, actual: TypeRef): boolean {
  if (required.NonNull && !actual.NonNull) return false;
  if (required.Elem || actual.Elem) return !!required.Elem && !!actual.Elem && covariant(l, required.Elem, actual.Elem);
  if (required.NamedType === actual.NamedType) return true;
  const req = l.types.get(s(required.NamedType));
  const act = l.types.get(s(actual.NamedType));
  if (!req || !act) return false;
  if (s(req.Kind) === 'UNION') return strs(req.Types).includes(s(actual.NamedType));
  if (s(req.Kind) === 'INTERFACE') return strs(act.Interfaces).includes(s(required.NamedType));
  return false;
}

const sameType = (a: TypeRef, b: TypeRef): boolean => !!a.NonNull === !!b.NonNull && (a.Elem || b.Elem ? !!a.Elem && !!b.Elem && sameType(a.Elem, b.Elem) : a.NamedType === b.NamedType);

function validateImplements(l: Loaded, def: Obj, intfName: string): void {
  const name = s(def.Name);
  const intf = l.types.get(intfName);
  if (!intf) fail(`Undefined type "${intfName}".`);
  if (s(intf!.Kind) !== 'INTERFACE') fail(`"${intfName}" is a non interface type ${s(intf!.Kind)}.`);
  for (const req of list(intf!.Fields)) {
    const found = list(def.Fields).find((f) => f.Name === req.Name);
    if (!found) fail(`For ${name} to implement ${intfName} it must have a field called ${s(req.Name)}.`);
    if (!covariant(l, typeOf(req), typeOf(found!))) fail(`For ${name} to implement ${intfName} the field ${s(req.Name)} must have type ${named(typeOf(req))}.`);
    for (const ra of list(req.Arguments)) {
      const fa = list(found!.Arguments).find((a) => a.Name === ra.Name);
      if (!fa) fail(`For ${name} to implement ${intfName} the field ${s(req.Name)} must have the same arguments but it is missing ${s(ra.Name)}.`);
      if (!sameType(typeOf(ra), typeOf(fa!))) fail(`For ${name} to implement ${intfName} the field ${s(req.Name)} must have the same arguments but ${s(ra.Name)} has the wrong type.`);
    }
    for (const fa of list(found!.Arguments)) {
      if (!list(req.Arguments).some((a) => a.Name === fa.Name) && typeOf(fa).NonNull && !fa.DefaultValue)
        fail(`For ${name} to implement ${intfName} any additional arguments on ${s(req.Name)} must be optional or have a default value but ${s(fa.Name)} is required.`);
    }
  }
  for (const transitive of strs(intf!.Interfaces)) {
    if (!strs(def.Interfaces).includes(transitive)) {
      if (transitive === name) fail(`Type ${name} cannot implement ${intfName} because it would create a circular reference.`);
      fail(`Type ${name} must implement ${transitive} because it is implemented by ${intfName}.`);
    }
  }
}

function validateDefinition(l: Loaded, def: Obj): void {
  const kind = s(def.Kind);
  const name = s(def.Name);
  for (const f of list(def.Fields)) {
    validateName(s(f.Name));
    validateTypeRef(l, typeOf(f));
    validateArgs(l, f.Arguments);
    validateDirectives(l, f.Directives, kind === 'INPUT_OBJECT' ? 'INPUT_FIELD_DEFINITION' : 'FIELD_DEFINITION');
  }
  for (const t of strs(def.Types)) {
    const td = l.types.get(t);
    if (!td) fail(`Undefined type "${t}".`);
    if (s(td!.Kind) !== 'OBJECT') fail(`${kind} type "${t}" must be OBJECT.`);
  }
  for (const i of strs(def.Interfaces)) validateImplements(l, def, i);
  const fieldKinds = (ok: string[], what: string): void => {
    for (const f of list(def.Fields)) {
      const t = l.types.get(named(typeOf(f)));
      if (t && !ok.includes(s(t.Kind))) fail(`${kind} ${name}: field must be one of ${what}.`);
    }
  };
  if (kind === 'OBJECT' || kind === 'INTERFACE') {
    if (list(def.Fields).length === 0) fail(`${kind} ${name}: must define one or more fields.`);
    fieldKinds(['SCALAR', 'OBJECT', 'INTERFACE', 'UNION', 'ENUM'], 'SCALAR, OBJECT, INTERFACE, UNION, ENUM');
  } else if (kind === 'ENUM') {
    if (list(def.EnumValues).length === 0) fail(`${kind} ${name}: must define one or more unique enum values.`);
    for (const v of list(def.EnumValues)) {
      if (['true', 'false', 'null'].includes(s(v.Name))) fail(`${kind} ${name}: non-enum value ${s(v.Name)}.`);
      validateDirectives(l, v.Directives, 'ENUM_VALUE');
    }
  } else if (kind === 'INPUT_OBJECT') {
    if (list(def.Fields).length === 0) fail(`${kind} ${name}: must define one or more input fields.`);
    fieldKinds(['SCALAR', 'ENUM', 'INPUT_OBJECT'], 'SCALAR, ENUM, INPUT_OBJECT');
  }
  const fieldNames = list(def.Fields).map((f) => s(f.Name));
  const dup = fieldNames.find((n, i) => fieldNames.indexOf(n) !== i);
  if (dup !== undefined) fail(`Field ${name}.${dup} can only be defined once.`);
  if (!def.BuiltIn) validateName(name);
  validateDirectives(l, def.Directives, kind);
}

/** gqlparser's ValidateSchemaDocument over the prelude and the given document. */
export function loadSchema(doc: Json): Loaded {
  const d = (doc ?? {}) as Obj;
  const l: Loaded = { types: new Map(), directives: new Map(), roots: [] };
  for (const n of PRELUDE_SCALARS) l.types.set(n, { Kind: 'SCALAR', Name: n, BuiltIn: true });
  for (const n of INTROSPECTION) l.types.set(n, { Kind: n === '__TypeKind' || n === '__DirectiveLocation' ? 'ENUM' : 'OBJECT', Name: n, BuiltIn: true, Fields: [], EnumValues: [{ Name: 'X' }] });
  for (const [n, p] of Object.entries(PRELUDE_DIRECTIVES)) l.directives.set(n, { Name: n, Locations: p.locations, Arguments: p.args as unknown as Json });
  for (const def of list(d.Definitions)) {
    if (l.types.has(s(def.Name))) fail(`Cannot redeclare type ${s(def.Name)}.`);
    l.types.set(s(def.Name), { ...def, Fields: [...list(def.Fields)] });
  }
  for (const ext of list(d.Extensions)) {
    let def = l.types.get(s(ext.Name));
    if (!def) {
      def = { Kind: s(ext.Kind), Name: s(ext.Name) };
      l.types.set(s(ext.Name), def);
    }
    if (def.Kind !== ext.Kind) fail(`Cannot extend type ${s(ext.Name)} because the base type is a ${s(def.Kind)}, not ${s(ext.Kind)}.`);
    for (const k of ['Directives', 'Interfaces', 'Fields', 'Types', 'EnumValues']) def[k] = [...(Array.isArray(def[k]) ? (def[k] as Json[]) : []), ...(Array.isArray(ext[k]) ? (ext[k] as Json[]) : [])];
  }
  for (const dir of list(d.Directives)) {
    // A prelude directive may be declared again (the first declaration, the prelude's, is kept); others only once.
    if (s(dir.Name) in PRELUDE_DIRECTIVES) continue;
    if (l.directives.has(s(dir.Name))) fail(`Cannot redeclare directive ${s(dir.Name)}.`);
    l.directives.set(s(dir.Name), dir);
  }
  const schemas = list(d.Schema);
  if (schemas.length > 1) fail('Cannot have multiple schema entry points, consider schema extensions instead.');
  for (const sd of [...schemas, ...list(d.SchemaExtension)]) {
    for (const op of list(sd.OperationTypes)) {
      if (!l.types.has(s(op.Type))) fail(`Schema root ${s(op.Operation)} refers to a type ${s(op.Type)} that does not exist.`);
      l.roots.push([s(op.Operation), s(op.Type)]);
    }
    validateDirectives(l, sd.Directives, 'SCHEMA');
  }
  for (const name of [...l.types.keys()].sort()) if (!l.types.get(name)!.BuiltIn) validateDefinition(l, l.types.get(name)!);
  for (const name of [...l.directives.keys()].sort()) {
    if (name in PRELUDE_DIRECTIVES) continue;
    validateName(name);
    validateArgs(l, l.directives.get(name)!.Arguments, name);
  }
  if (schemas.length === 0 && l.roots.length === 0) for (const [op, t] of [['query', 'Query'], ['mutation', 'Mutation'], ['subscription', 'Subscription']]) if (l.types.has(t)) l.roots.push([op, t]);
  return l;
}

// ---- Printing gqlparser ASTs back to GraphQL text (for graphql-js) ----

function printType(t: TypeRef): string {
  const inner = t.Elem ? `[${printType(t.Elem)}]` : s(t.NamedType);
  return t.NonNull ? `${inner}!` : inner;
}

function printValue(v: Obj): string {
  const raw = s(v.Raw);
  switch (v.Kind) {
    case 0:
      return `$${raw}`;
    case 3:
    case 4:
      return JSON.stringify(raw);
    case 8:
      return `[${list(v.Children)
        .map((c) => printValue(c.Value as Obj))
        .join(', ')}]`;
    case 9:
      return `{${list(v.Children)
        .map((c) => `${s(c.Name)}: ${printValue(c.Value as Obj)}`)
        .join(', ')}}`;
    default:
      return raw;
  }
}

const printArgs = (xs: Json | undefined): string => {
  const a = list(xs);
  return a.length ? `(${a.map((x) => `${s(x.Name)}: ${printValue(x.Value as Obj)}`).join(', ')})` : '';
};
const printDirs = (xs: Json | undefined): string =>
  list(xs)
    .map((d) => ` @${s(d.Name)}${printArgs(d.Arguments)}`)
    .join('');
const printDesc = (x: Obj): string => (s(x.Description) ? `${JSON.stringify(s(x.Description))} ` : '');

function printInputValues(xs: Json | undefined): string {
  const a = list(xs);
  if (a.length === 0) return '';
  return `(${a.map((x) => `${printDesc(x)}${s(x.Name)}: ${printType(typeOf(x))}${x.DefaultValue ? ` = ${printValue(x.DefaultValue as Obj)}` : ''}${printDirs(x.Directives)}`).join(', ')})`;
}

function printDefinition(def: Obj): string {
  const name = s(def.Name);
  const dirs = printDirs(def.Directives);
  const fieldsOf = (): string =>
    list(def.Fields)
      .map((f) => `  ${printDesc(f)}${s(f.Name)}${printInputValues(f.Arguments)}: ${printType(typeOf(f))}${f.DefaultValue ? ` = ${printValue(f.DefaultValue as Obj)}` : ''}${printDirs(f.Directives)}\n`)
      .join('');
  const impl = strs(def.Interfaces).length ? ` implements ${strs(def.Interfaces).join(' & ')}` : '';
  switch (def.Kind) {
    case 'SCALAR':
      return `scalar ${name}${dirs}`;
    case 'OBJECT':
      return `type ${name}${impl}${dirs} {\n${fieldsOf()}}`;
    case 'INTERFACE':
      return `interface ${name}${impl}${dirs} {\n${fieldsOf()}}`;
    case 'UNION':
      return `union ${name}${dirs} = ${strs(def.Types).join(' | ')}`;
    case 'ENUM':
      return `enum ${name}${dirs} {\n${list(def.EnumValues)
        .map((v) => `  ${s(v.Name)}${printDirs(v.Directives)}\n`)
        .join('')}}`;
    default:
      return `input ${name}${dirs} {\n${fieldsOf()}}`;
  }
}

function printSchema(l: Loaded): string {
  const parts: string[] = [];
  for (const def of l.types.values()) if (!def.BuiltIn) parts.push(printDefinition(def));
  for (const [name, dir] of l.directives) {
    if (name in PRELUDE_DIRECTIVES) continue;
    parts.push(`directive @${name}${printInputValues(dir.Arguments)}${dir.IsRepeatable ? ' repeatable' : ''} on ${strs(dir.Locations).join(' | ')}`);
  }
  if (l.roots.length) parts.push(`schema {\n${l.roots.map(([op, t]) => `  ${op}: ${t}\n`).join('')}}`);
  return parts.join('\n\n');
}

function printSelections(xs: Json | undefined): string {
  const sel = list(xs);
  if (sel.length === 0) return '';
  return ` {\n${sel
    .map((x) => {
      if ('TypeCondition' in x || ('SelectionSet' in x && !('Name' in x))) return `... ${s(x.TypeCondition) ? `on ${s(x.TypeCondition)}` : ''}${printDirs(x.Directives)}${printSelections(x.SelectionSet)}\n`;
      if (!('Alias' in x) && !('SelectionSet' in x) && !('Arguments' in x)) return `...${s(x.Name)}${printDirs(x.Directives)}\n`;
      const alias = s(x.Alias) && x.Alias !== x.Name ? `${s(x.Alias)}: ` : '';
      return `${alias}${s(x.Name)}${printArgs(x.Arguments)}${printDirs(x.Directives)}${printSelections(x.SelectionSet)}\n`;
    })
    .join('')}}`;
}

function printVariables(xs: Json | undefined): string {
  const v = list(xs);
  if (v.length === 0) return '';
  return `(${v.map((x) => `$${s(x.Variable)}: ${printType(typeOf(x))}${x.DefaultValue ? ` = ${printValue(x.DefaultValue as Obj)}` : ''}${printDirs(x.Directives)}`).join(', ')})`;
}

function printQuery(q: Json): string {
  const d = (q ?? {}) as Obj;
  const ops = list(d.Operations).map((o) => `${s(o.Operation) || 'query'} ${s(o.Name)}${printVariables(o.VariableDefinitions)}${printDirs(o.Directives)}${printSelections(o.SelectionSet)}`);
  const frags = list(d.Fragments).map((f) => `fragment ${s(f.Name)} on ${s(f.TypeCondition)}${printDirs(f.Directives)}${printSelections(f.SelectionSet)}`);
  return [...ops, ...frags].join('\n');
}

/** Validates the query against the loaded schema; throws gqlparser-worded errors with the query location. */
export function validateQuery(l: Loaded, q: QueryInput): void {
  let doc = q.doc;
  try {
    doc ??= parse(printQuery(q.json));
    const schema = buildSchema(printSchema(l), { assumeValid: true, assumeValidSDL: true });
    const errors = validate(schema, doc);
    if (errors.length > 0) {
      const e = errors[0];
      const loc = e.locations?.[0];
      throw new GraphQLSchemaError(`${e.message.replace(/\.$/, '')} in GraphQL query string at location ${loc?.line ?? 0}:${loc?.column ?? 0}`);
    }
  } catch (e) {
    if (e instanceof GraphQLError) throw new GraphQLSchemaError(e.message);
    throw e;
  }
}

