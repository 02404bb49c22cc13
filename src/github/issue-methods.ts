/** Issue, label, comment and reaction methods of the Octokit-backed port. */
import { type GitHubCalls, repoParams } from './call-github.ts';
import { toComment, toIssue } from './map-objects.ts';
import type { GitHubPort } from './port.ts';
import type { WireComment, WireIssue } from './wire.ts';

type IssueMethods = Pick<
  GitHubPort,
  'getIssue' | 'listIssues' | 'createIssue' | 'updateIssue' | 'addLabels' | 'listComments' | 'createComment' | 'updateComment' | 'addReaction'
>;

export function issueMethods(gh: GitHubCalls): IssueMethods {
  return {
    async getIssue(ref, number) {
      // 410: the issue was deleted.
      const res = await gh.requestOrNull('GET /repos/{owner}/{repo}/issues/{issue_number}', { ...repoParams(ref), issue_number: number }, [404, 410]);
      return res === null ? null : toIssue(ref, res.data as WireIssue);
    },

    async listIssues(ref, query) {
      const params: Record<string, unknown> = { ...repoParams(ref), state: query.state ?? 'open' };
      if (query.labels !== undefined && query.labels.length > 0) params.labels = query.labels.join(',');
      const issues = await gh.paginate<WireIssue>('GET /repos/{owner}/{repo}/issues', params);
      return issues.map((i) => toIssue(ref, i));
    },

    async createIssue(ref, input) {
      const res = await gh.request('POST /repos/{owner}/{repo}/issues', { ...repoParams(ref), ...input });
      return toIssue(ref, res.data as WireIssue);
    },

    async updateIssue(ref, number, input) {
      const res = await gh.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', { ...repoParams(ref), issue_number: number, ...input });
      return toIssue(ref, res.data as WireIssue);
    },

    async addLabels(ref, number, labels) {
      if (labels.length === 0) return;
      await gh.request('POST /repos/{owner}/{repo}/issues/{issue_number}/labels', { ...repoParams(ref), issue_number: number, labels });
    },

    async listComments(ref, issueNumber) {
      const comments = await gh.paginate<WireComment>('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', { ...repoParams(ref), issue_number: issueNumber });
      return comments.map(toComment);
    },

    async createComment(ref, issueNumber, body) {
      const res = await gh.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { ...repoParams(ref), issue_number: issueNumber, body });
      return toComment(res.data as WireComment);
    },

    async updateComment(ref, commentId, body) {
      const res = await gh.request('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', { ...repoParams(ref), comment_id: commentId, body });
      return toComment(res.data as WireComment);
    },

    async addReaction(ref, commentId, content) {
      await gh.request('POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions', { ...repoParams(ref), comment_id: commentId, content });
    },
  };
}
