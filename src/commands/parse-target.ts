import { mdCode } from '../shared/markdown.ts';
import type { Target } from './parse-command.ts';

/** Target forms accepted in `/rollback` comments, for messages. */
export const TARGET_FORMS = '`#N`, `repo#N`, `owner/repo#N`, `owner/repo@<sha>` (7–40 hex digits) or a pull request URL';

const OWNER = '[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}';
const REPO = '[A-Za-z0-9._-]{1,100}';
const NUMBER = '[1-9][0-9]{0,9}';
const SHA = '[0-9a-fA-F]{7,40}';

const FULL_PULL = new RegExp(`^(${OWNER})/(${REPO})#(${NUMBER})$`);
const REPO_PULL = new RegExp(`^(${REPO})#(${NUMBER})$`);
const HERE_PULL = new RegExp(`^#(${NUMBER})$`);
const FULL_COMMIT = new RegExp(`^(${OWNER})/(${REPO})@(${SHA})$`);
const URL_PULL = new RegExp(`^https?://[^/\\s]+/(${OWNER})/(${REPO})/pull/(${NUMBER})(?:/(?:files|commits|checks)?)?(?:[?#]\\S*)?$`);
const URL_COMMIT = new RegExp(`^https?://[^/\\s]+/(${OWNER})/(${REPO})/commit/(${SHA})/?(?:[?#]\\S*)?$`);

export type TargetResult = { readonly ok: true; readonly target: Target } | { readonly ok: false; readonly problem: string };

/** Parses one target word; `here` supplies the owner and repo for the short forms. */
export function parseTarget(word: string, here: { owner: string; repo: string }): TargetResult {
  let m: RegExpExecArray | null;
  if ((m = HERE_PULL.exec(word))) return pull(here.owner, here.repo, m[1]);
  if ((m = FULL_PULL.exec(word)) || (m = URL_PULL.exec(word))) return checkRepo(m[2]) ?? pull(m[1], m[2], m[3]);
  if ((m = REPO_PULL.exec(word))) return checkRepo(m[1]) ?? pull(here.owner, m[1], m[2]);
  if ((m = FULL_COMMIT.exec(word)) || (m = URL_COMMIT.exec(word))) {
    return checkRepo(m[2]) ?? { ok: true, target: { kind: 'commit', owner: m[1], repo: m[2], sha: m[3].toLowerCase() } };
  }
  return { ok: false, problem: explain(word) };
}

function pull(owner: string, repo: string, digits: string): TargetResult {
  const number = Number(digits);
  if (number > 2_147_483_647) return { ok: false, problem: `pull request number ${digits} is too large` };
  return { ok: true, target: { kind: 'pull', owner, repo, number } };
}

function checkRepo(repo: string): TargetResult | null {
  if (repo === '.' || repo === '..' || repo.endsWith('.git')) return { ok: false, problem: `${mdCode(repo)} is not a repository name` };
  return null;
}

function explain(word: string): string {
  const shown = mdCode(word, { max: 80 });
  if (/@/.test(word) && !/\//.test(word)) return `${shown}: a commit target needs the repository, as \`owner/repo@<sha>\``;
  if (/@/.test(word)) return `${shown}: a commit sha must be 7 to 40 hexadecimal digits, as \`owner/repo@1a2b3c4\``;
  if (/#/.test(word)) return `${shown} is not a valid pull request reference; use \`#N\`, \`repo#N\` or \`owner/repo#N\``;
  if (/^https?:\/\//.test(word)) return `${shown} is not a pull request or commit URL (expected \`https://host/owner/repo/pull/N\`)`;
  return `${shown} is not a target; targets are ${TARGET_FORMS}`;
}
