/**
 * Where GitHub's OpenAPI description and GitHub's real behaviour differ, the checker follows GitHub.
 * Every entry says why; keep this list small and add to it only with evidence.
 */

/**
 * Statuses GitHub can answer on any operation, documented or not:
 * - 304 on any GET/HEAD with `If-None-Match`/`If-Modified-Since` (conditional requests);
 * - 400 "Problems parsing JSON" / "Body should be a JSON object" on any request with a body;
 * - 401 "Bad credentials" / JWT errors on any authenticated request (e.g. `GET /app` documents only 200);
 * - 403 and 429 for primary and secondary rate limits (e.g. 429 on `pulls/get`, seen in practice);
 * - 404 when the repository or owner is not visible to the token (many repo operations omit it);
 * - 5xx for faults.
 * Their bodies must still look like GitHub's `basic-error` (a `message` string) unless empty on a 5xx.
 */
export function isGenericStatus(method: string, status: number): boolean {
  if (status === 304) return method === 'GET' || method === 'HEAD';
  return status === 400 || status === 401 || status === 403 || status === 404 || status === 429 || status >= 500;
}

/**
 * Operations that GitHub also serves as raw text through custom media types that the spec does not list
 * (https://docs.github.com/rest/using-the-rest-api/media-types): contents and readme as
 * `application/vnd.github.raw(+json)`/`.html`, blobs as raw, pulls and comparisons as `.diff`/`.patch`.
 * A string or Buffer body on a 2xx of these is accepted without schema validation.
 */
export const RAW_MEDIA_OPERATIONS: ReadonlySet<string> = new Set([
  'repos/get-content',
  'repos/get-readme',
  'repos/get-readme-in-directory',
  'git/get-blob',
  'pulls/get',
  'repos/get-commit',
  'repos/compare-commits-with-basehead',
]);

/**
 * GitHub's text media types, which keep a `+json` suffix when asked for as `application/vnd.github.raw+json`
 * yet carry text, not JSON, for the operations above (a JSON object body is still validated).
 */
export function isGitHubTextMedia(mediaType: string): boolean {
  return /^application\/vnd\.github(\.v3)?\.(raw|html|text|diff|patch|sha)(\+json)?$/.test(mediaType);
}

export interface IgnoredError {
  /** Matches the violation's `where`, e.g. /\(pulls\/get\) response 200$/ or /^webhook pull_request\./ */
  where: RegExp;
  /** Matches Ajv's instancePath of the error, e.g. /^\/requested_teams\/\d+$/ */
  instancePath: RegExp;
  keyword: string;
  reason: string;
}

/**
 * Individual schema errors known to be spec mistakes. (Known inaccuracies such as
 * github/rest-api-description#2967 are properties missing from the spec, which validation tolerates.)
 */
// apps/list-installations inlines `account` as `allOf: [Simple User, Enterprise]`, which no real
// account satisfies (a user or org has no `slug`; an enterprise has no `login`). The shared
// `installation` component says `anyOf` of the two, and apps/get-installation follows it. The errors
// this produces at `account` (the `required` of the impossible branch, then the nullable wrapper's
// `type`/`anyOf`) are ignored; the rest of each installation is still validated.
const LIST_INSTALLATIONS_ACCOUNT = {
  where: /\(apps\/list-installations\) response 200$/,
  instancePath: /^\/\d+\/account$/,
  reason: 'spec renders installation.account as allOf instead of anyOf in this operation',
};

// repos/create-or-update-file-contents documents its 409 as `oneOf: [basic-error, repository-rule-violation-error]`,
// but both schemas accept any `{message, documentation_url, status}` (every property optional), so every 409
// GitHub sends ("<path> does not match <sha>", "is at X but expected Y") matches both and fails `oneOf`. Only
// that root `oneOf` error is ignored; a body matching neither alternative still reports the alternatives' errors.
const FILE_CONTENTS_409: IgnoredError = {
  where: /\(repos\/create-or-update-file-contents\) response 409$/,
  instancePath: /^$/,
  keyword: 'oneOf',
  reason: 'oneOf of two schemas that accept the same error bodies',
};

export const IGNORED_ERRORS: readonly IgnoredError[] = [
  ...['required', 'type', 'anyOf'].map((keyword) => ({ ...LIST_INSTALLATIONS_ACCOUNT, keyword })),
  FILE_CONTENTS_409,
];

export function isIgnored(where: string, instancePath: string, keyword: string): boolean {
  return IGNORED_ERRORS.some((e) => e.keyword === keyword && e.where.test(where) && e.instancePath.test(instancePath));
}
