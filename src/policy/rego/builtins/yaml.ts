/** yaml.marshal, yaml.unmarshal, yaml.is_valid via the `yaml` package (YAML 1.2 core schema). */
import { parseAllDocuments, stringify } from 'yaml';
import type { Document } from 'yaml';
import type { BuiltinDef } from '../builtin-types.ts';
import { fromJS, toJS } from '../value.ts';
import type { Value } from '../value.ts';
import { evalErr, str } from './operands.ts';

/** The first document, as go-yaml's Unmarshal reads only that one. */
function firstDoc(text: string): Document.Parsed | undefined {
  const docs = parseAllDocuments(text, { intAsBigInt: true, uniqueKeys: false });
  return Array.isArray(docs) ? docs[0] : undefined;
}

function unmarshal(text: string): Value {
  const doc = firstDoc(text);
  if (!doc) return null;
  if (doc.errors.length > 0) throw evalErr('yaml.unmarshal', doc.errors[0].message);
  return fromJS(doc.toJS({ maxAliasCount: 1000 }));
}

export const yamlBuiltins: BuiltinDef[] = [
  {
    name: 'yaml.marshal',
    arity: 1,
    // Like go-yaml v2 under sigs.k8s.io/yaml: sorted keys, block style, sequences not indented.
    fn: (a) => stringify(toJS(a[0]), { indentSeq: false, sortMapEntries: true, lineWidth: 0 }),
  },
  { name: 'yaml.unmarshal', arity: 1, fn: (a) => unmarshal(str('yaml.unmarshal', a, 0)) },
  {
    name: 'yaml.is_valid',
    arity: 1,
    fn: (a) => {
      if (typeof a[0] !== 'string') return false;
      // Any malformed document makes the text invalid, also after the first (OPA's "unreachable content" case).
      const docs = parseAllDocuments(a[0], { intAsBigInt: true, uniqueKeys: false });
      return !Array.isArray(docs) || docs.every((d) => d.errors.length === 0);
    },
  },
];
