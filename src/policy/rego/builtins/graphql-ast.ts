/**
 * GraphQL documents parsed by graphql-js, written as the AST OPA returns: gqlparser's Go structs
 * (vektah/gqlparser/v2/ast) marshalled to JSON with Go field names, then pruned as OPA's
 * pruneIrrelevantGraphQLASTNodes does (no Position, no nulls, no empty arrays or objects).
 * Parse errors get gqlparser's wording: "Expected Name, found } in GraphQL string at location 1:9".
 */
import { GraphQLError, isTypeDefinitionNode, isTypeExtensionNode, Kind, parse } from 'graphql';
import type {
  ArgumentNode,
  ConstDirectiveNode,
  DirectiveNode,
  DocumentNode,
  FieldDefinitionNode,
  InputValueDefinitionNode,
  SelectionNode,
  TypeDefinitionNode,
  TypeExtensionNode,
  TypeNode,
  ValueNode,
  VariableDefinitionNode,
} from 'graphql';

/** A gqlparser AST node as plain JSON (before pruning). */
export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** gqlparser's ast.ValueKind numbering. */
const VALUE_KIND: Record<string, number> = {
  [Kind.VARIABLE]: 0,
  [Kind.INT]: 1,
  [Kind.FLOAT]: 2,
  [Kind.STRING]: 3,
  [Kind.BOOLEAN]: 5,
  [Kind.NULL]: 6,
  [Kind.ENUM]: 7,
  [Kind.LIST]: 8,
  [Kind.OBJECT]: 9,
};
const BLOCK_VALUE = 4;

export class GraphQLSyntaxError extends Error {}

function type(t: TypeNode): Json {
  if (t.kind === Kind.NON_NULL_TYPE) return { ...(type(t.type) as Record<string, Json>), NonNull: true };
  if (t.kind === Kind.LIST_TYPE) return { NamedType: '', Elem: type(t.type), NonNull: false };
  return { NamedType: t.name.value, NonNull: false };
}

function value(v: ValueNode): Json {
  const out: Record<string, Json> = { Raw: '', Kind: VALUE_KIND[v.kind], ExpectedTypeHasDefault: false };
  switch (v.kind) {
    case Kind.VARIABLE:
      out.Raw = v.name.value;
      break;
    case Kind.INT:
    case Kind.FLOAT:
    case Kind.ENUM:
      out.Raw = v.value;
      break;
    case Kind.STRING:
      out.Raw = v.value;
      if (v.block) out.Kind = BLOCK_VALUE;
      break;
    case Kind.BOOLEAN:
      out.Raw = v.value ? 'true' : 'false';
      break;
    case Kind.NULL:
      out.Raw = 'null';
      break;
    case Kind.LIST:
      out.Children = v.values.map((x) => ({ Name: '', Value: value(x) }));
      break;
    case Kind.OBJECT:
      out.Children = v.fields.map((f) => ({ Name: f.name.value, Value: value(f.value) }));
      break;
  }
  return out;
}

const args = (xs: readonly ArgumentNode[] | undefined): Json => (xs ?? []).map((a) => ({ Name: a.name.value, Value: value(a.value) }));
const directives = (xs: readonly (DirectiveNode | ConstDirectiveNode)[] | undefined): Json =>
  (xs ?? []).map((d) => ({ Name: d.name.value, Arguments: args(d.arguments), Location: '' }));

function variableDefinitions(xs: readonly VariableDefinitionNode[] | undefined): Json {
  return (xs ?? []).map((v) => ({
    Variable: v.variable.name.value,
    Type: type(v.type),
    DefaultValue: v.defaultValue ? value(v.defaultValue) : null,
    Directives: directives(v.directives),
    Used: false,
  }));
}

function selections(xs: readonly SelectionNode[] | undefined): Json {
  return (xs ?? []).map((s): Json => {
    if (s.kind === Kind.FIELD) {
      return { Alias: (s.alias ?? s.name).value, Name: s.name.value, Arguments: args(s.arguments), Directives: directives(s.directives), SelectionSet: selections(s.selectionSet?.selections) };
    }
    if (s.kind === Kind.FRAGMENT_SPREAD) return { Name: s.name.value, Directives: directives(s.directives) };
    return { TypeCondition: s.typeCondition?.name.value ?? '', Directives: directives(s.directives), SelectionSet: selections(s.selectionSet.selections) };
  });
}

const description = (d: { description?: { value: string } }): string => d.description?.value ?? '';

function inputValues(xs: readonly InputValueDefinitionNode[] | undefined): Json {
  return (xs ?? []).map((a) => ({
    Description: description(a),
    Name: a.name.value,
    DefaultValue: a.defaultValue ? value(a.defaultValue) : null,
    Type: type(a.type),
    Directives: directives(a.directives),
  }));
}

function fields(xs: readonly (FieldDefinitionNode | InputValueDefinitionNode)[] | undefined): Json {
  return (xs ?? []).map((f) => ({
    Description: description(f),
    Name: f.name.value,
    Arguments: 'arguments' in f ? inputValues(f.arguments) : [],
    DefaultValue: 'defaultValue' in f && f.defaultValue ? value(f.defaultValue) : null,
    Type: type(f.type),
    Directives: directives(f.directives),
  }));
}

const KIND_OF: Record<string, string> = {
  [Kind.SCALAR_TYPE_DEFINITION]: 'SCALAR',
  [Kind.SCALAR_TYPE_EXTENSION]: 'SCALAR',
  [Kind.OBJECT_TYPE_DEFINITION]: 'OBJECT',
  [Kind.OBJECT_TYPE_EXTENSION]: 'OBJECT',
  [Kind.INTERFACE_TYPE_DEFINITION]: 'INTERFACE',
  [Kind.INTERFACE_TYPE_EXTENSION]: 'INTERFACE',
  [Kind.UNION_TYPE_DEFINITION]: 'UNION',
  [Kind.UNION_TYPE_EXTENSION]: 'UNION',
  [Kind.ENUM_TYPE_DEFINITION]: 'ENUM',
  [Kind.ENUM_TYPE_EXTENSION]: 'ENUM',
  [Kind.INPUT_OBJECT_TYPE_DEFINITION]: 'INPUT_OBJECT',
  [Kind.INPUT_OBJECT_TYPE_EXTENSION]: 'INPUT_OBJECT',
};

/** A type definition or extension as gqlparser's ast.Definition. */
function definition(d: TypeDefinitionNode | TypeExtensionNode): Json {
  return {
    Kind: KIND_OF[d.kind],
    Description: 'description' in d ? description(d) : '',
    Name: d.name.value,
    Directives: directives(d.directives),
    Interfaces: 'interfaces' in d ? (d.interfaces ?? []).map((i) => i.name.value) : [],
    Fields: 'fields' in d ? fields(d.fields) : [],
    Types: 'types' in d ? (d.types ?? []).map((t) => t.name.value) : [],
    EnumValues:
      'values' in d
        ? (d.values ?? []).map((v) => ({ Description: description(v), Name: v.name.value, Directives: directives(v.directives) }))
        : [],
    BuiltIn: false,
  };
}

/** gqlparser's error text for a graphql-js syntax error: no "Syntax Error:", punctuators unquoted, its token columns. */
function gqlparserMessage(e: GraphQLError, text: string): { message: string; line: number; column: number } {
  let msg = e.message.replace(/^Syntax Error: /, '').replace(/\.$/, '');
  let line = e.locations?.[0]?.line ?? 0;
  let column = e.locations?.[0]?.column ?? 0;
  const at = e.positions?.[0] ?? -1;
  // graphql-js quotes punctuators ("{", "..."); gqlparser does not.
  msg = msg.replace(/"([!$&():=@[\]{}|]|\.\.\.)"/g, '$1');
  // gqlparser's many(): an empty list of definitions between braces.
  if (/^Expected Name, found }$/.test(msg) && at > 0 && /\{\s*$/.test(text.slice(0, at))) msg = 'expected at least one definition, found }';
  if (msg.startsWith('Unexpected variable')) msg = 'Unexpected $';
  if (msg.startsWith('Unexpected description')) {
    const m = /^"(?:[^"\\]|\\.)*"/.exec(text.slice(at));
    msg = `Unexpected String ${m ? m[0] : '""'}`;
  }
  if (msg.startsWith('Unexpected character') || msg.startsWith('Invalid number') || msg.startsWith('Unterminated string') || msg.startsWith('Invalid character')) msg = 'Unexpected <Invalid>';
  // gqlparser places a string token after its opening quote.
  if (/ String "/.test(msg)) column += 1;
  if (msg === 'Unexpected <Invalid>' && line === 0) line = 1;
  return { message: msg, line, column };
}

export function parseDocument(text: string, what: 'query' | 'schema'): DocumentNode {
  let doc: DocumentNode;
  // gqlparser reads a text without definitions (blank, commas, comments) as an empty document.
  if (/^(?:[\s,\uFEFF]|#[^\n\r]*)*$/.test(text)) return { kind: Kind.DOCUMENT, definitions: [] };
  try {
    doc = parse(text, { noLocation: false, allowLegacyFragmentVariables: true }); // gqlparser reads fragment variables (experimental)
  } catch (e) {
    if (e instanceof GraphQLError) {
      const g = gqlparserMessage(e, text);
      throw new GraphQLSyntaxError(`${g.message} in GraphQL string at location ${g.line}:${g.column}`);
    }
    throw e;
  }
  // gqlparser has separate query and schema grammars; graphql-js reads both in one document.
  for (const d of doc.definitions) {
    const executable = d.kind === Kind.OPERATION_DEFINITION || d.kind === Kind.FRAGMENT_DEFINITION;
    if (executable !== (what === 'query')) {
      const loc = d.loc?.startToken;
      const tok = loc ? (loc.kind === '{' ? '{' : `Name "${loc.value}"`) : 'definition';
      throw new GraphQLSyntaxError(`Unexpected ${tok} in GraphQL string at location ${loc?.line ?? 1}:${loc?.column ?? 1}`);
    }
  }
  return doc;
}

export function queryDocumentJson(doc: DocumentNode): Json {
  const operations: Json[] = [];
  const fragments: Json[] = [];
  for (const d of doc.definitions) {
    if (d.kind === Kind.OPERATION_DEFINITION) {
      operations.push({
        Operation: d.operation,
        Name: d.name?.value ?? '',
        VariableDefinitions: variableDefinitions(d.variableDefinitions),
        Directives: directives(d.directives),
        SelectionSet: selections(d.selectionSet.selections),
      });
    } else if (d.kind === Kind.FRAGMENT_DEFINITION) {
      fragments.push({
        Name: d.name.value,
        VariableDefinition: variableDefinitions(d.variableDefinitions),
        TypeCondition: d.typeCondition.name.value,
        Directives: directives(d.directives),
        SelectionSet: selections(d.selectionSet.selections),
      });
    }
  }
  return { Operations: operations, Fragments: fragments };
}

export function schemaDocumentJson(doc: DocumentNode): Json {
  const out: Record<string, Json[]> = { Schema: [], SchemaExtension: [], Directives: [], Definitions: [], Extensions: [] };
  for (const d of doc.definitions) {
    if (d.kind === Kind.SCHEMA_DEFINITION || d.kind === Kind.SCHEMA_EXTENSION) {
      (d.kind === Kind.SCHEMA_DEFINITION ? out.Schema : out.SchemaExtension).push({
        Description: d.kind === Kind.SCHEMA_DEFINITION ? description(d) : '',
        Directives: directives(d.directives),
        OperationTypes: (d.operationTypes ?? []).map((o) => ({ Operation: o.operation, Type: o.type.name.value })),
      });
    } else if (d.kind === Kind.DIRECTIVE_DEFINITION) {
      out.Directives.push({
        Description: description(d),
        Name: d.name.value,
        Arguments: inputValues(d.arguments),
        Locations: d.locations.map((l) => l.value),
        IsRepeatable: d.repeatable,
      });
    } else if (isTypeDefinitionNode(d) || isTypeExtensionNode(d)) {
      (isTypeExtensionNode(d) ? out.Extensions : out.Definitions).push(definition(d));
    }
  }
  return out;
}

/** OPA's pruneIrrelevantGraphQLASTNodes: drops Position, nulls, and arrays/objects left empty. */
export function prune(x: Json): Json {
  if (Array.isArray(x)) {
    const out: Json[] = [];
    for (const e of x) {
      if (e === null) continue;
      const p = prune(e);
      if (Array.isArray(p) ? p.length === 0 : typeof p === 'object' && p !== null && Object.keys(p).length === 0) continue;
      out.push(p);
    }
    return out;
  }
  if (x && typeof x === 'object') {
    const out: Record<string, Json> = {};
    for (const [k, v] of Object.entries(x)) {
      if (k === 'Position' || v === null) continue;
      const p = prune(v);
      if (Array.isArray(p) ? p.length === 0 : typeof p === 'object' && p !== null && Object.keys(p).length === 0) continue;
      out[k] = p;
    }
    return out;
  }
  return x;
}
