/**
 * Validation hook for `unwind validate`: parses and compiles policy files (sources and tests), checks
 * data files, and warns when `data.unwind.decision` is not defined.
 */
import type { RegoProblem } from './rego/errors.ts';
import { classifyPolicyFiles } from './classify-policy-files.ts';
import { compileRegoFiles } from './compile-rego-set.ts';
import { parseDataFile } from './merge-data.ts';
import { describeThrown } from './opa-wasm/load-wasm-policy.ts';
import { DECISION_REF } from './policy-set.ts';

export interface PolicyProblem {
  file: string;
  line: number;
  col: number;
  severity: 'error' | 'warning';
  message: string;
}

export function validatePolicyFiles(files: Array<{ path: string; text: string }>): PolicyProblem[] {
  const asPolicyFiles = files.map((f) => ({ path: f.path, content: f.text }));
  const c = classifyPolicyFiles(asPolicyFiles);
  const problems: PolicyProblem[] = [];
  for (const f of c.data) {
    try {
      parseDataFile(f);
    } catch (err) {
      problems.push({ ...locationIn(describeThrown(err), f.path), severity: 'error' });
    }
  }
  const modules = [...c.rego, ...c.tests];
  if (modules.length === 0) return problems;
  try {
    const rego = compileRegoFiles(modules);
    const defined = rego.rules().some((r) => r.ref === DECISION_REF || (r.package === 'unwind' && r.name === 'decision'));
    if (!defined && c.rego.length > 0) {
      problems.push({
        file: c.rego[0].path,
        line: 1,
        col: 1,
        severity: 'warning',
        message: `${DECISION_REF} is not defined: Unwind queries it for every action, so every decision would be a deny (fail closed); define \`decision\` in package unwind`,
      });
    }
  } catch (err) {
    const list = (err as { problems?: RegoProblem[] }).problems;
    if (Array.isArray(list)) {
      for (const p of list) problems.push({ file: p.file, line: p.line, col: p.col, severity: 'error', message: `${p.code}: ${p.message}` });
    } else {
      problems.push({ file: modules[0].path, line: 1, col: 1, severity: 'error', message: describeThrown(err) });
    }
  }
  return problems;
}

/** Splits "file:line:col: message" (as data-file errors are written) into a location. */
function locationIn(message: string, file: string): Omit<PolicyProblem, 'severity'> {
  const prefix = `${file}:`;
  const rest = message.startsWith(prefix) ? message.slice(prefix.length) : message;
  const m = /^(\d+):(\d+): (.*)$/s.exec(rest);
  if (m) return { file, line: Number(m[1]), col: Number(m[2]), message: m[3] };
  return { file, line: 1, col: 1, message: rest.replace(/^ /, '') };
}
