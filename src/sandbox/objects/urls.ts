/** URL helpers: API URLs at the sandbox root (REST also answers under /api/v3), HTML URLs on the same host. */
import type { SandboxContext } from '../context.ts';

export const enc = (s: string): string => encodeURIComponent(s);

export function apiUrl(ctx: SandboxContext, path: string): string {
  return `${ctx.baseUrl}${path}`;
}

export function htmlUrl(ctx: SandboxContext, path: string): string {
  return `${ctx.baseUrl}${path}`;
}

export function repoApi(ctx: SandboxContext, owner: string, name: string, rest = ''): string {
  return `${ctx.baseUrl}/repos/${enc(owner)}/${enc(name)}${rest}`;
}

export function repoHtml(ctx: SandboxContext, owner: string, name: string, rest = ''): string {
  return `${ctx.baseUrl}/${enc(owner)}/${enc(name)}${rest}`;
}

export function nodeId(kind: string, id: number): string {
  return Buffer.from(`0:${kind}${id}`).toString('base64').replace(/=+$/, '');
}
