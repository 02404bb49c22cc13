import { GitInputError } from './errors.ts';

export const ZERO_SHA = '0'.repeat(40);
const SHA = /^[0-9a-f]{40}$/;

/** Whether `value` is a full object id (40 lowercase hex). */
export function isFullSha(value: string): boolean {
  return SHA.test(value);
}

/** A full object id (40 lowercase hex). */
export function assertSha(field: string, value: string): string {
  if (!SHA.test(value)) throw new GitInputError(field, value, 'expected a 40-character lowercase hex sha');
  return value;
}

/** A revision expression (branch, sha, `main~2`): never option-like, no control characters. */
export function assertRev(field: string, value: string): string {
  if (value === '') throw new GitInputError(field, value, 'must not be empty');
  if (value.startsWith('-')) throw new GitInputError(field, value, 'must not start with "-"');
  if (/[\x00-\x1f\x7f]/.test(value)) throw new GitInputError(field, value, 'must not contain control characters');
  return value;
}

/** A full ref name (`refs/...`) following git-check-ref-format's rules. */
export function assertRefName(field: string, value: string): string {
  const bad =
    !value.startsWith('refs/') ||
    /[\x00-\x20\x7f~^:?*[\\]/.test(value) ||
    value.includes('..') ||
    value.includes('//') ||
    value.includes('@{') ||
    value.endsWith('/') ||
    value.endsWith('.') ||
    value.endsWith('.lock') ||
    value.split('/').some((part) => part.startsWith('.') || part.endsWith('.lock') || part === '');
  if (bad) throw new GitInputError(field, value, 'not a valid full ref name (refs/...)');
  return value;
}

/** A repository-relative file path: no leading/trailing slash, no `.`/`..`/`.git` segments, no control characters. */
export function assertRepoPath(field: string, value: string): string {
  if (value === '') throw new GitInputError(field, value, 'must not be empty');
  if (/[\x00-\x1f\x7f]/.test(value)) throw new GitInputError(field, value, 'must not contain control characters');
  const parts = value.split('/');
  if (parts.some((p) => p === '' || p === '.' || p === '..' || p.toLowerCase() === '.git')) {
    throw new GitInputError(field, value, 'segments must be non-empty and not ".", ".." or ".git"');
  }
  return value;
}

/** Branch short name → full ref (`main` → `refs/heads/main`); full refs pass through. */
export function branchRef(branch: string): string {
  return assertRefName('branch', branch.startsWith('refs/') ? branch : `refs/heads/${branch}`);
}
