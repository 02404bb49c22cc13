/**
 * The `rego.*` builtins about policies themselves (OPA topdown/parse.go). rego.metadata.chain() and
 * rego.metadata.rule() are replaced at compile time by the calling rule's constants
 * (`compile/metadata.ts`); a call left at evaluation time is in a query, which has no rule: OPA's error.
 * rego.parse_module(filename, text) parses a module as OPA 1.x does (Rego v1) and returns OPA's JSON
 * AST of it (`syntax/opa-json.ts`); a parse error is the builtin's error with OPA's text
 * (`1 error occurred: file:row: rego_parse_error: …` and the line with a caret).
 */
import type { BuiltinDef } from '../builtin-types.ts';
import { RegoCompileError } from '../errors.ts';
import type { RegoProblem } from '../errors.ts';
import type { Comment } from '../syntax/lexer.ts';
import { OpaJsonWriter } from '../syntax/opa-json.ts';
import { parseModuleText } from '../syntax/parse-module.ts';
import { evalErr, str } from './operands.ts';

const outsideRule = (name: string): BuiltinDef['fn'] => () => {
  throw evalErr(name, `the ${name} function must only be called within the scope of a rule`);
};

/** OPA's ast.Errors text: each error as `file:row: code: message`, parse errors with their line and a caret. */
function opaErrorsText(problems: RegoProblem[], text: string): string {
  const lines = text.split('\n');
  const one = (p: RegoProblem): string => {
    let s = `${p.file}:${p.line}: ${p.code}: ${p.message}`;
    const src = lines[p.line - 1];
    if (p.code === 'rego_parse_error' && src !== undefined) {
      const trimmed = src.replace(/^\t+/, '');
      const indent = Math.max(0, p.col - 1 - (src.length - trimmed.length));
      s += `\n\t${trimmed}\n\t${' '.repeat(indent)}^`;
    }
    return s;
  };
  if (problems.length === 1) return `1 error occurred: ${one(problems[0])}`;
  return `${problems.length} errors occurred:\n${problems.map(one).join('\n')}`;
}

function parseModuleBuiltin(args: Parameters<BuiltinDef['fn']>[0]): ReturnType<BuiltinDef['fn']> {
  const name = 'rego.parse_module';
  const file = str(name, args, 0);
  const text = str(name, args, 1);
  const comments: Comment[] = [];
  try {
    const m = parseModuleText(file, text, 'v1', comments);
    return new OpaJsonWriter().module(m, comments);
  } catch (e) {
    if (e instanceof RegoCompileError) throw evalErr(name, opaErrorsText(e.problems, text));
    throw e;
  }
}

export const regoMetaBuiltins: BuiltinDef[] = [
  { name: 'rego.metadata.chain', arity: 0, types: '() => chain: array[any]', fn: outsideRule('rego.metadata.chain') },
  { name: 'rego.metadata.rule', arity: 0, types: '() => output: any', fn: outsideRule('rego.metadata.rule') },
  { name: 'rego.parse_module', arity: 2, types: '(filename: string, rego: string) => output: object[string: any]', fn: (args) => parseModuleBuiltin(args) },
];
