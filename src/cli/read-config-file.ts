/** Read a file named on the command line; when it cannot be read, record why as a problem of `label`. */
import { readFileSync } from 'node:fs';
import type { ConfigProblem } from '../config/problem.ts';
import { fileProblem } from '../config/problem.ts';

export function readConfigFile(abs: string, label: string, problems: ConfigProblem[]): string | null {
  try {
    return readFileSync(abs, 'utf8');
  } catch (err) {
    problems.push(fileProblem(label, `cannot read file: ${(err as NodeJS.ErrnoException).code ?? String(err)}`));
    return null;
  }
}
