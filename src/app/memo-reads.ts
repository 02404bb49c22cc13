/**
 * One command's snapshot of what it reads while planning: the same read (the map, a repository, a branch
 * head, a file at a commit) is sent once and its answer shared, instead of once per module that needs it
 * (the map was read by the planner and again by the configuration loader; the opt-out check read each
 * target's PR and contract again). Only reads a plan takes as one snapshot are kept (a repository, a branch
 * head, a file, a commit, a PR), failures are not, and the snapshot lives as long as the command's planning.
 */
import type { GitHubPort } from '../github/port.ts';

const MEMO = new Set<string>(['getRepo', 'getBranchSha', 'getFile', 'listDirectory', 'getCommit', 'getPull', 'readDefaultBranchFile']);

export function memoReads(port: GitHubPort): GitHubPort {
  const answers = new Map<string, Promise<unknown>>();
  return new Proxy(port, {
    get(target, name, receiver) {
      const value: unknown = Reflect.get(target, name, receiver);
      if (typeof value !== 'function') return value;
      if (typeof name !== 'string' || !MEMO.has(name)) return value.bind(target);
      return (...args: unknown[]) => {
        const key = `${name} ${JSON.stringify(args)}`;
        let answer = answers.get(key);
        if (!answer) {
          answer = (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          answers.set(key, answer);
          answer.catch(() => answers.delete(key));
        }
        return answer;
      };
    },
  });
}
