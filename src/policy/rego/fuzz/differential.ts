/**
 * One differential evaluation: the same modules, query and input through this engine and through
 * real OPA (the oracle in ../shared/tools/opa-oracle, OPA v0.47), and the comparison of outcomes.
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { RegoCompileError, RegoEvalError, compile } from '../index.ts';
import { decodeRegorus } from '../conformance/run-case.ts';
import { equals, toJSONText } from '../value.ts';
import type { Value } from '../value.ts';

export type Outcome =
  | { kind: 'value'; value: Value }
  | { kind: 'undefined' }
  | { kind: 'error'; code: string; message: string }
  /** An exception that is not a Rego error: a bug of the engine, whatever OPA says. */
  | { kind: 'crash'; message: string }
  | { kind: 'unsupported'; reason: string };

export interface Spec {
  modules: string[];
  query: string;
  input?: unknown;
}

const NOW_NS = 1_700_000_000_000_000_000n;

export function engineEval(spec: Spec): Outcome {
  try {
    const p = compile({ modules: spec.modules.map((text, i) => ({ path: `module_${i}.rego`, text })) });
    const { value } = p.evalRef(spec.query, { ...(spec.input !== undefined ? { input: spec.input } : {}), nowNs: NOW_NS, maxSteps: 2_000_000, timeoutMs: 5_000 });
    return value === undefined ? { kind: 'undefined' } : { kind: 'value', value };
  } catch (e) {
    if (e instanceof RegoCompileError) return { kind: 'error', code: e.problems[0]?.code ?? 'rego_compile_error', message: e.problems.map((p) => p.message).join('; ') };
    if (e instanceof RegoEvalError) return { kind: 'error', code: e.code, message: e.message };
    return { kind: 'crash', message: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  }
}

interface OracleApi {
  evaluate(spec: Spec): Promise<{ kind: string; value?: unknown; code?: string; message?: string; reason?: string }>;
  close(): void;
}

export function oraclePath(): string {
  if (process.env.OPA_ORACLE) return process.env.OPA_ORACLE;
  const here = path.dirname(fileURLToPath(import.meta.url));
  return path.resolve(here, '../../../../../shared/tools/opa-oracle/opa.mjs');
}

export async function openOracle(): Promise<OracleApi> {
  const mod = (await import(pathToFileURL(oraclePath()).href)) as { Oracle: new () => OracleApi };
  return new mod.Oracle();
}

export async function oracleEval(oracle: OracleApi, spec: Spec): Promise<Outcome> {
  const r = await oracle.evaluate(spec);
  if (r.kind === 'value') return { kind: 'value', value: decodeRegorus(r.value) ?? null };
  if (r.kind === 'undefined') return { kind: 'undefined' };
  if (r.kind === 'unsupported') return { kind: 'unsupported', reason: r.reason ?? '' };
  return { kind: 'error', code: r.code ?? 'unknown', message: r.message ?? '' };
}

/** A short label for a pair of outcomes that disagree (the disagreement's class), or undefined when they agree. */
export function disagreement(engine: Outcome, opa: Outcome): string | undefined {
  if (opa.kind === 'unsupported') return undefined;
  if (engine.kind === 'crash') return `engine crash (${engine.message.split('\n')[0].slice(0, 80)})`;
  if (opa.kind === 'error' && opa.code === 'oracle_failure') return undefined;
  if (engine.kind === 'value' && opa.kind === 'value') return equals(engine.value, opa.value) ? undefined : 'different values';
  if (engine.kind === 'error' && opa.kind === 'error') return engine.code === opa.code ? undefined : `error codes: engine ${engine.code}, OPA ${opa.code}`;
  return `engine ${describe(engine)}, OPA ${describe(opa)}`;
}

export function describe(o: Outcome): string {
  switch (o.kind) {
    case 'value':
      return 'a value';
    case 'error':
      return o.code;
    default:
      return o.kind;
  }
}

export function showOutcome(o: Outcome): string {
  switch (o.kind) {
    case 'value':
      return toJSONText(o.value);
    case 'error':
      return `${o.code}: ${o.message.split('\n')[0]}`;
    case 'crash':
      return `crash: ${o.message}`;
    case 'unsupported':
      return `unsupported: ${o.reason}`;
    default:
      return 'undefined';
  }
}
