/** strings.render_template (OPA topdown/template.go): Go text/template over the variables object (go-template.ts). */
import type { BuiltinDef } from '../builtin-types.ts';
import { toJS } from '../value.ts';
import { executeTemplate, TemplateError } from './go-template.ts';
import type { TValue } from './go-template.ts';
import { evalErr, obj, str } from './operands.ts';

const NAME = 'strings.render_template';

export const renderTemplateBuiltins: BuiltinDef[] = [
  {
    name: NAME,
    arity: 2,
    types: '(value: string, vars: object[string: any]) => result: string',
    fn: (a, ctx) => {
      const template = str(NAME, a, 0);
      const vars = toJS(obj(NAME, a, 1)) as TValue;
      try {
        // OPA shows Go's "<no value>" (a missing key) as "<undefined>".
        return executeTemplate(template, vars, ctx.charge).replaceAll('<no value>', '<undefined>');
      } catch (e) {
        if (e instanceof TemplateError) throw evalErr(NAME, e.message);
        throw e;
      }
    },
  },
];
