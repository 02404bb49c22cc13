/** Repository, contents, branch and commit methods of the Octokit-backed port. */
import { type GitHubCalls, repoParams } from './call-github.ts';
import { gitBlobSha } from './git-blob-sha.ts';
import { toCommit, toPull, toRepo } from './map-objects.ts';
import type { FileContent, GitHubPort } from './port.ts';
import type { WireCommit, WireContentEntry, WirePull, WireRepo } from './wire.ts';

type RepoMethods = Pick<
  GitHubPort,
  'getRepo' | 'getFile' | 'getFileBytes' | 'listDirectory' | 'getBranchSha' | 'createBranch' | 'readBranchFile' | 'writeBranchFile' | 'deleteBranch' | 'getCommit' | 'listPullsForCommit'
>;

/** GitHub lists at most 300 files per page of a commit, and 3000 in all. */
const COMMIT_FILES_PER_PAGE = 300;
const MAX_COMMIT_FILE_PAGES = 10;

export function repoMethods(gh: GitHubCalls): RepoMethods {
  return {
    async getRepo(ref) {
      const res = await gh.requestOrNull('GET /repos/{owner}/{repo}', repoParams(ref));
      return res === null ? null : toRepo(res.data as WireRepo);
    },

    async getFile(ref, path, gitRef) {
      const res = await gh.requestOrNull('GET /repos/{owner}/{repo}/contents/{path}', {
        ...repoParams(ref),
        path,
        ...(gitRef !== undefined ? { ref: gitRef } : {}),
        mediaType: { format: 'raw' },
      });
      if (res === null) return null;
      return rawFile(path, res.data);
    },

    async getFileBytes(ref, path, gitRef) {
      // The JSON form (base64): the raw form is served as text, which would garble binary content.
      const res = await gh.requestOrNull('GET /repos/{owner}/{repo}/contents/{path}', { ...repoParams(ref), path, ...(gitRef !== undefined ? { ref: gitRef } : {}) });
      if (res === null || Array.isArray(res.data)) return null;
      const data = res.data as { type?: string; encoding?: string; content?: string; size?: number };
      if (data.type !== 'file') return null;
      if (data.encoding !== 'base64' || data.content === undefined) throw new Error(`${ref.owner}/${ref.repo}:${path} is ${data.size ?? '?'} bytes; GitHub serves files over 1 MB without content, which Unwind does not read`);
      return new Uint8Array(Buffer.from(data.content, 'base64'));
    },

    async listDirectory(ref, path, gitRef) {
      const res = await gh.requestOrNull('GET /repos/{owner}/{repo}/contents/{path}', {
        ...repoParams(ref),
        path,
        ...(gitRef !== undefined ? { ref: gitRef } : {}),
      });
      if (res === null || !Array.isArray(res.data)) return null;
      return (res.data as WireContentEntry[])
        .filter((e) => e.type === 'file' || e.type === 'dir' || e.type === 'symlink')
        .map((e) => ({ name: e.name, path: e.path, type: e.type === 'dir' ? ('dir' as const) : ('file' as const) }));
    },

    async getBranchSha(ref, branch) {
      const res = await gh.requestOrNull('GET /repos/{owner}/{repo}/git/ref/{ref}', { ...repoParams(ref), ref: `heads/${branch}` });
      if (res === null) return null;
      const data = res.data as { object?: { sha?: string } } | unknown[];
      // An inexact ref answers with an array of refs sharing the prefix: that is not this branch.
      return Array.isArray(data) ? null : (data.object?.sha ?? null);
    },

    async createBranch(ref, branch, sha) {
      try {
        await gh.request('POST /repos/{owner}/{repo}/git/refs', { ...repoParams(ref), ref: `refs/heads/${branch}`, sha });
        return 'created';
      } catch (err) {
        // 422 "Reference already exists".
        if (isStatus(err, [422])) return 'exists';
        throw err;
      }
    },

    async readBranchFile(ref, branch, path, etag) {
      let res;
      try {
        res = await gh.requestOrNull('GET /repos/{owner}/{repo}/contents/{path}', { ...repoParams(ref), path, ref: branch, ...(etag ? { headers: { 'if-none-match': etag } } : {}) });
      } catch (err) {
        if (isStatus(err, [304])) return { kind: 'not_modified' };
        throw err;
      }
      if (res === null) return { kind: 'absent' };
      const data = res.data as { type?: string; encoding?: string; content?: string; sha?: string } | unknown[];
      if (Array.isArray(data) || data.type !== 'file' || data.encoding !== 'base64' || data.content === undefined || !data.sha) return { kind: 'absent' };
      const headers = (res as { headers?: Record<string, string | undefined> }).headers ?? {};
      return { kind: 'file', text: Buffer.from(data.content, 'base64').toString('utf8'), blobSha: data.sha, etag: headers.etag ?? null };
    },

    async writeBranchFile(ref, p) {
      try {
        await gh.request('PUT /repos/{owner}/{repo}/contents/{path}', {
          ...repoParams(ref),
          path: p.path,
          branch: p.branch,
          message: p.message,
          content: Buffer.from(p.text, 'utf8').toString('base64'),
          ...(p.sha ? { sha: p.sha } : {}),
        });
        return 'written';
      } catch (err) {
        // 409: the file (or the branch) moved since it was read; 422: it exists and no sha was given.
        if (isStatus(err, [409, 422])) return 'conflict';
        throw err;
      }
    },

    async deleteBranch(ref, branch) {
      // Idempotent: a branch that is already gone is what the caller wants.
      await gh.requestOrNull('DELETE /repos/{owner}/{repo}/git/refs/{ref}', { ...repoParams(ref), ref: `heads/${branch}` }, [404, 422]);
    },

    async getCommit(ref, sha) {
      const first = await gh.requestOrNull('GET /repos/{owner}/{repo}/commits/{ref}', { ...repoParams(ref), ref: sha }, [404, 422]);
      if (first === null) return null;
      const commit = first.data as WireCommit;
      const files = (commit.files ?? []).map((f) => f.filename);
      for (let page = 2; files.length === (page - 1) * COMMIT_FILES_PER_PAGE && page <= MAX_COMMIT_FILE_PAGES; page++) {
        const next = await gh.request('GET /repos/{owner}/{repo}/commits/{ref}', { ...repoParams(ref), ref: sha, page, per_page: COMMIT_FILES_PER_PAGE });
        const more = ((next.data as WireCommit).files ?? []).map((f) => f.filename);
        if (more.length === 0) break;
        files.push(...more);
      }
      return toCommit(commit, files);
    },

    async listPullsForCommit(ref, sha) {
      try {
        const pulls = await gh.paginate<WirePull>('GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls', { ...repoParams(ref), commit_sha: sha });
        return pulls.map((p) => toPull(ref, p));
      } catch (err) {
        // 404/422: unknown commit; 409: empty repository. None has pull requests.
        if (isStatus(err, [404, 409, 422])) return [];
        throw err;
      }
    },
  };
}

function rawFile(path: string, data: unknown): FileContent | null {
  let bytes: Uint8Array;
  if (typeof data === 'string') bytes = Buffer.from(data, 'utf8');
  else if (data instanceof ArrayBuffer) bytes = new Uint8Array(data);
  else return null; // a directory listing (JSON) or a submodule: not a file
  const text = new TextDecoder('utf-8').decode(bytes);
  return { path, text, blobSha: gitBlobSha(bytes) };
}

export function isStatus(err: unknown, statuses: readonly number[]): boolean {
  return typeof err === 'object' && err !== null && 'status' in err && typeof err.status === 'number' && statuses.includes(err.status);
}
