/** Read a file named on the command line; when it cannot be read, record why as a problem of `label`. */
import { readFileSync } from 'node:fs';
import type { ConfigProblem } from '../config/problem.ts';
import { fileProblem } from '../config/problem.ts';

/** `expected` says what the file should be, for the message about a directory (default: a YAML file). */
export function readConfigFile(abs: string, label: string, problems: ConfigProblem[], expected = 'a YAML file'): string | null {
  try {
    return readFileSync(abs, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EISDIR') problems.push(fileProblem(label, `${label} is a directory, expected ${expected}`, 'name the file itself, or remove the directory that stands in its place'));
    else problems.push(fileProblem(label, `cannot read file: ${code ?? String(err)}`));
    return null;
  }
}
