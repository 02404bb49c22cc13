/** Text builtin families: strings, sprintf, render_template, regex, glob, time, encodings, json/yaml, crypto, units, semver, uuid. */
import type { BuiltinDef } from '../builtin-types.ts';
import { cryptoBuiltins } from './crypto.ts';
import { encodingBuiltins } from './encoding.ts';
import { globBuiltins } from './glob.ts';
import { jsonPatchBuiltins } from './json-patch.ts';
import { jsonPathBuiltins } from './json-paths.ts';
import { jsonBuiltins } from './json.ts';
import { regexBuiltins } from './regex.ts';
import { renderTemplateBuiltins } from './render-template.ts';
import { semverBuiltins } from './semver.ts';
import { sprintfBuiltins } from './sprintf.ts';
import { stringBuiltins } from './strings.ts';
import { timeBuiltins } from './time.ts';
import { trimBuiltins } from './trim.ts';
import { unitBuiltins } from './units.ts';
import { uuidBuiltins } from './uuid.ts';
import { yamlBuiltins } from './yaml.ts';

export const textBuiltins: BuiltinDef[] = [
  ...stringBuiltins,
  ...trimBuiltins,
  ...sprintfBuiltins,
  ...renderTemplateBuiltins,
  ...regexBuiltins,
  ...globBuiltins,
  ...timeBuiltins,
  ...unitBuiltins,
  ...semverBuiltins,
  ...jsonBuiltins,
  ...jsonPathBuiltins,
  ...jsonPatchBuiltins,
  ...yamlBuiltins,
  ...encodingBuiltins,
  ...cryptoBuiltins,
  ...uuidBuiltins,
];
