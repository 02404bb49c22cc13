/** The opa-wasm engine: evaluates an OPA-compiled policy through `@open-policy-agent/opa-wasm`. */
import { loadPolicy } from '@open-policy-agent/opa-wasm';
import { PolicyLoadError } from '../policy-load-error.ts';

export interface WasmPolicy {
  readonly entrypoints: readonly string[];
  /** The value of the entrypoint for `input`, or `undefined` when the policy leaves it undefined. */
  evaluate(input: unknown): unknown;
}

/** opa-wasm throws strings and plain objects; turn them into a message. */
export function describeThrown(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'string') return err;
  if (typeof err === 'object' && err !== null && 'message' in err) return String((err as { message: unknown }).message);
  return String(err);
}

export async function loadWasmPolicy(params: { wasm: Uint8Array; data: unknown; entrypoint: string; where: string }): Promise<WasmPolicy> {
  const { wasm, data, entrypoint, where } = params;
  let policy: Awaited<ReturnType<typeof loadPolicy>>;
  try {
    policy = await loadPolicy(wasm);
  } catch (err) {
    throw new PolicyLoadError(`${where}: cannot load the OPA wasm module: ${describeThrown(err)}`);
  }
  const table: unknown = policy.entrypoints;
  const entrypoints = typeof table === 'object' && table !== null ? Object.keys(table) : [];
  if (!entrypoints.includes(entrypoint)) {
    throw new PolicyLoadError(
      `${where}: the wasm module has no "${entrypoint}" entrypoint (it has: ${entrypoints.join(', ') || 'none'}); build it with \`opa build -t wasm -e ${entrypoint}\``,
    );
  }
  try {
    policy.setData(data as object);
  } catch (err) {
    throw new PolicyLoadError(`${where}: cannot load data into the wasm module: ${describeThrown(err)}`);
  }
  return {
    entrypoints,
    evaluate(input: unknown): unknown {
      let resultSet: unknown;
      try {
        resultSet = policy.evaluate(input, entrypoint);
      } catch (err) {
        throw new Error(`${where}: opa-wasm evaluation failed: ${describeThrown(err)}`);
      }
      if (!Array.isArray(resultSet) || resultSet.length === 0) return undefined;
      const first: unknown = resultSet[0];
      if (typeof first !== 'object' || first === null || !('result' in first)) return undefined;
      return (first as { result: unknown }).result;
    },
  };
}
