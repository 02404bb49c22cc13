/** The core/text registries cover issue 4's builtin checklist, with OPA's arities and no duplicates. */
import { describe, expect, it } from 'vitest';
import { coreBuiltins } from '../../../../src/policy/rego/builtins/index-core.ts';
import { textBuiltins } from '../../../../src/policy/rego/builtins/index-text.ts';
import { builtin } from './call.ts';

const ARITY: Record<string, number> = {
  count: 1, sum: 1, product: 1, max: 1, min: 1, sort: 1, abs: 1, ceil: 1, floor: 1, round: 1,
  'numbers.range': 2, 'numbers.range_step': 3, 'rand.intn': 2, 'array.concat': 2, 'array.slice': 3, 'array.reverse': 1,
  intersection: 1, union: 1, 'object.get': 3, 'object.keys': 1, 'object.remove': 2, 'object.union': 2, 'object.union_n': 1,
  'object.filter': 2, 'object.subset': 2, type_name: 1, is_number: 1, is_string: 1, is_boolean: 1, is_array: 1, is_set: 1,
  is_object: 1, is_null: 1, walk: 1, 'graph.reachable': 2, 'graph.reachable_paths': 2, 'bits.or': 2, 'bits.and': 2,
  'bits.xor': 2, 'bits.negate': 1, 'bits.lsh': 2, 'bits.rsh': 2,
  concat: 2, contains: 2, endswith: 2, startswith: 2, format_int: 2, indexof: 2, indexof_n: 2, lower: 1, upper: 1,
  replace: 3, split: 2, sprintf: 2, substring: 3, trim: 2, trim_left: 2, trim_prefix: 2, trim_right: 2, trim_suffix: 2,
  trim_space: 1, 'strings.replace_n': 2, 'strings.reverse': 1, 'strings.any_prefix_match': 2, 'strings.any_suffix_match': 2,
  'strings.count': 2, to_number: 1, 'regex.match': 2, 'regex.is_valid': 1, 'regex.find_n': 3,
  'regex.find_all_string_submatch_n': 3, 'regex.split': 2, 'regex.replace': 3, 'regex.template_match': 4,
  'regex.globs_match': 2, re_match: 2, 'glob.match': 3, 'glob.quote_meta': 1,
  'time.now_ns': 0, 'time.parse_rfc3339_ns': 1, 'time.parse_ns': 2, 'time.parse_duration_ns': 1, 'time.date': 1,
  'time.clock': 1, 'time.weekday': 1, 'time.add_date': 4, 'time.diff': 2, 'time.format': 1,
  'units.parse': 1, 'units.parse_bytes': 1, 'semver.is_valid': 1, 'semver.compare': 2, 'json.marshal': 1,
  'json.marshal_with_options': 2, 'json.unmarshal': 1, 'json.is_valid': 1, 'json.filter': 2, 'json.remove': 2,
  'yaml.marshal': 1, 'yaml.unmarshal': 1, 'yaml.is_valid': 1, 'base64.encode': 1, 'base64.decode': 1, 'base64.is_valid': 1,
  'base64url.encode': 1, 'base64url.encode_no_pad': 1, 'base64url.decode': 1, 'hex.encode': 1, 'hex.decode': 1,
  'urlquery.encode': 1, 'urlquery.decode': 1, 'urlquery.encode_object': 1, 'urlquery.decode_object': 1,
  'crypto.sha256': 1, 'crypto.md5': 1, 'crypto.sha1': 1, 'crypto.hmac.sha256': 2, 'uuid.rfc4122': 1, 'uuid.parse': 1,
};

describe('builtin registry', () => {
  it('has every checklist builtin with its OPA arity', () => {
    for (const [name, arity] of Object.entries(ARITY)) expect(`${name}/${builtin(name).arity}`).toBe(`${name}/${arity}`);
  });
  it('has no duplicate names', () => {
    const names = [...coreBuiltins, ...textBuiltins].map((b) => b.name);
    expect(names.length).toBe(new Set(names).size);
  });
  it('marks non-deterministic builtins and the walk relation', () => {
    for (const n of ['time.now_ns', 'rand.intn', 'uuid.rfc4122']) expect(builtin(n).nondeterministic).toBe(true);
    expect(builtin('walk').relation).toBe(true);
    expect(builtin('count').nondeterministic).toBeFalsy();
  });
});
