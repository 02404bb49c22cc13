/** Text builtin families: strings, sprintf, regex, glob, time, encodings, json/yaml, crypto, units, semver, uuid. */
import type { BuiltinDef } from '../builtin-types.ts';
import { globBuiltins } from './glob.ts';
import { regexBuiltins } from './regex.ts';
import { sprintfBuiltins } from './sprintf.ts';
import { stringBuiltins } from './strings.ts';
import { timeBuiltins } from './time.ts';
import { trimBuiltins } from './trim.ts';

export const textBuiltins: BuiltinDef[] = [...stringBuiltins, ...trimBuiltins, ...sprintfBuiltins, ...regexBuiltins, ...globBuiltins, ...timeBuiltins];
