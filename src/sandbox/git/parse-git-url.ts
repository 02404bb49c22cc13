export type GitService = 'git-upload-pack' | 'git-receive-pack';

export interface GitUrl {
  owner: string;
  repo: string;
  /** `info-refs` = ref advertisement (GET), `rpc` = the POST of a service */
  kind: 'info-refs' | 'rpc';
  service: GitService;
  /** path below the project root for git-http-backend: `/owner/repo.git/...` */
  pathInfo: string;
}

const NAME = /^[A-Za-z0-9_.-]+$/;
const ROUTE = /^\/([^/]+)\/([^/]+?)(?:\.git)?\/(info\/refs|git-upload-pack|git-receive-pack)$/;

/** Owners (logins) never start with a dot; repositories may (`acme/.github`), but `.` and `..` are never names. */
function validName(name: string, kind: 'owner' | 'repo'): boolean {
  return NAME.test(name) && name !== '.' && name !== '..' && (kind === 'repo' || !name.startsWith('.'));
}

/** Recognises GitHub's smart-HTTP URLs (`/o/r.git/info/refs?service=…`, `/o/r/git-upload-pack`, …); null otherwise. */
export function parseGitUrl(pathname: string, search: string): GitUrl | null {
  const m = ROUTE.exec(pathname);
  if (!m) return null;
  const [, owner, repo, tail] = m;
  if (!validName(owner, 'owner') || !validName(repo, 'repo')) return null;
  let service: GitService;
  if (tail === 'info/refs') {
    const wanted = new URLSearchParams(search.replace(/^\?/, '')).get('service');
    if (wanted !== 'git-upload-pack' && wanted !== 'git-receive-pack') return null; // dumb HTTP is not served
    service = wanted;
  } else {
    service = tail as GitService;
  }
  return { owner, repo, kind: tail === 'info/refs' ? 'info-refs' : 'rpc', service, pathInfo: `/${owner}/${repo}.git/${tail}` };
}
