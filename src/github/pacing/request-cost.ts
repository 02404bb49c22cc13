/**
 * What a request costs against GitHub's secondary limits, as Unwind counts it. GitHub does not list the
 * content-generating endpoints; Octokit's throttling plugin keeps the list of writes that trigger
 * notifications (issues, comments, pull requests, reviews, merges, releases, …), and Unwind counts every
 * write to those paths as content-generating: erring on the side of counting only costs a little speed.
 */
import { throttling } from '@octokit/plugin-throttling';
import type { RequestCost } from './limits.ts';

const triggersNotification = (throttling as unknown as { triggersNotification(path: string): boolean }).triggersNotification;

/** `path`: the URL path, expanded (`/repos/a/b/pulls`) or as a template (`/repos/{owner}/{repo}/pulls`). */
export function requestCost(method: string, path: string, graphqlQuery?: string): RequestCost {
  const m = method.toUpperCase();
  if (path.endsWith('/graphql') && m === 'POST') {
    // Every mutation counts as content: the cautious reading.
    const mutation = /^\s*mutation\b/.test((graphqlQuery ?? '').replace(/#[^\n]*/g, ''));
    return { points: mutation ? 5 : 1, graphql: true, content: mutation };
  }
  const read = m === 'GET' || m === 'HEAD' || m === 'OPTIONS';
  return { points: read ? 1 : 5, graphql: false, content: !read && triggersNotification(stripApiPrefix(path)) };
}

function stripApiPrefix(path: string): string {
  return path.replace(/^\/api\/v3(?=\/)/, '');
}
