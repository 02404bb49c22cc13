/**
 * The README's conformance table (`npm run conformance -- ../shared/rego-conformance --markdown`): per
 * suite, OPA's core-language folders apart, then the failing OPA cases by folder. The README's block
 * between the `rego-conformance-table` markers is this output, pasted as printed.
 */

/** OPA v1 folders about the language itself rather than a builtin family (40 folders). */
export const CORE_FOLDERS = new Set(
  [
    'aggregates', 'arithmetic', 'array', 'assignments', 'baseandvirtualdocs', 'casts', 'comparisonexpr', 'completedoc',
    'compositebasedereference', 'compositereferences', 'comprehensions', 'dataderef', 'defaultkeyword', 'disjunction',
    'elsekeyword', 'eqexpr', 'evaltermexpr', 'example', 'functionerrors', 'functions', 'helloworld', 'indexing',
    'indirectreferences', 'inputvalues', 'invalidkeyerror', 'negation', 'nestedreferences', 'partialdocconstants',
    'partialobjectdoc', 'partialsetdoc', 'planner-ir', 'reachable', 'refheads', 'sets', 'stringinterpolation', 'type',
    'undos', 'varreferences', 'virtualdocs', 'withkeyword',
  ].map((f) => `opa/v1/${f}`),
);

export interface FolderRow {
  pass: number;
  fail: number;
  skip: number;
}

const n = (x: number): string => x.toLocaleString('en-US');
const pct = (p: number, f: number): string => (p + f ? ((100 * p) / (p + f)).toFixed(1) : '-');

export function markdownTable(byFolder: Map<string, FolderRow>): string {
  const sum = (pred: (f: string) => boolean) => {
    const t = { pass: 0, fail: 0, skip: 0, folders: 0 };
    for (const [f, r] of byFolder) {
      if (!pred(f)) continue;
      t.pass += r.pass;
      t.fail += r.fail;
      t.skip += r.skip;
      t.folders++;
    }
    return t;
  };
  const opa = sum((f) => f.startsWith('opa/'));
  const core = sum((f) => CORE_FOLDERS.has(f));
  const reg = sum((f) => f === 'regorus' || f.startsWith('regorus/'));
  const all = sum(() => true);
  const row = (name: string, t: { pass: number; fail: number }) => `| ${name} | ${n(t.pass + t.fail)} | ${n(t.pass)} | ${n(t.fail)} | ${pct(t.pass, t.fail)} |`;
  const failing = [...byFolder]
    .filter(([f, r]) => f.startsWith('opa/') && r.fail > 0)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([f, r]) => `\`${f.replace(/^opa\/v1\//, '')}\` (${r.fail})`);
  return [
    '| suite | cases | passed | failed | pass % |',
    '|---|---:|---:|---:|---:|',
    row(`OPA v1 conformance (\`opa/v1/\`, ${opa.folders} folders)`, opa),
    row(
      `… its core-language folders (aggregates, comprehensions, functions, negation, indexing, input values, partial documents, refheads, with, virtual documents, string interpolation, …: ${core.folders} folders)`,
      core,
    ),
    row(`regorus (\`regorus/\`, ${reg.skip} skipped)`, reg),
    row('total', all),
    '',
    `Failing OPA cases: ${failing.length ? failing.join(', ') : 'none'}. Every failing regorus case is a documented`,
    "divergence where the engine follows OPA (the interpreter's README lists each with its reason), or regorus's",
    'own extensions (`target/`, `rego-extensions/`, `limits/`).',
  ].join('\n');
}
