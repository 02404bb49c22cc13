/**
 * `_extends` values, as Probot's config convention reads them: `repo`, `owner/repo`, optionally followed by
 * `:path/to/file.yml`. Without a path, the same path as the extending file is used.
 */
const EXTENDS = /^(?:([a-z\d](?:[a-z\d]|-(?=[a-z\d])){0,38})\/)?([-_.\w]+)(?::([-_./\w]+\.ya?ml))?$/i;

export interface ExtendsTarget {
  readonly owner: string;
  readonly repo: string;
  readonly path: string;
}

/** null when `value` is not a valid `_extends` value. */
export function parseExtends(value: string, defaults: { owner: string; path: string }): ExtendsTarget | null {
  const m = EXTENDS.exec(value.trim());
  if (m === null || m[2] === '.' || m[2] === '..') return null;
  return { owner: m[1] ?? defaults.owner, repo: m[2], path: m[3] ?? defaults.path };
}
