/** What configuration loading returns: values plus where each was read from. */
import type { Contract } from './contract-schema.ts';
import type { DependencyMap } from './map-schema.ts';

export interface ConfigSource {
  /** `owner/repo`. */
  readonly repo: string;
  readonly path: string;
  /** Commit SHA of the default branch the file was read at. */
  readonly commitSha: string;
  readonly blobSha: string;
}

export interface LoadedContract {
  /** `owner/repo` the contract applies to. */
  readonly repo: string;
  /** The merged contract; null when any file of the chain has errors (never act on an invalid contract). */
  readonly contract: Contract | null;
  /** True when neither the repo nor the org has a contract file: `contract` is all defaults. */
  readonly isDefault: boolean;
  /** Commit SHA of the repo's default branch at load time ('' when the repo could not be read). */
  readonly commitSha: string;
  /** Files merged, most specific first (the repo's own file, then what it extends). */
  readonly sources: readonly ConfigSource[];
  /** Where the effective `service:` value was written, for cross-file problems. */
  readonly serviceAt: { readonly file: string; readonly line: number; readonly col: number } | null;
}

export interface LoadedMap {
  /** The map; empty when the org has none. null when the file has errors. */
  readonly map: DependencyMap | null;
  readonly source: ConfigSource | null;
}
