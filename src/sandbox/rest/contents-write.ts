/** Contents API writes: `PUT` (create or replace) and `DELETE /repos/{owner}/{repo}/contents/{path}`. */
import type { SandboxContext } from '../context.ts';
import { actorLogin } from '../auth/access.ts';
import type { Person } from '../git/bare-repo.ts';
import { validationFailed } from '../http/http-error.ts';
import { ok, type RestRequest, type RouteDef } from '../http/rest-types.ts';
import { fileCommit } from '../objects/file-commit.ts';
import { writeFile, type FileWrite } from '../services/write-file.ts';
import { bodyOf, optString, repoFor, reqString } from './helpers.ts';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** GitHub's own answers wrap base64 at 60 columns, so whitespace is allowed; anything else is refused. */
function decodeContent(text: string): Buffer {
  const compact = text.replace(/\s+/g, '');
  if (!BASE64.test(compact) || compact.length % 4 !== 0) throw validationFailed([{ resource: 'Content', field: 'content', code: 'invalid' }], 'content is not valid Base64');
  return Buffer.from(compact, 'base64');
}

function optPerson(body: Record<string, unknown>, field: 'author' | 'committer'): Person | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) {
    throw validationFailed([{ resource: 'Content', field, code: 'invalid' }], `Invalid request.\n\nFor '${field}', ${JSON.stringify(v)} is not an object.`);
  }
  const o = v as Record<string, unknown>;
  const name = reqString(o, 'name', 'Content');
  const email = reqString(o, 'email', 'Content');
  const dateText = optString(o, 'date', 'Content');
  const date = dateText === undefined ? undefined : new Date(dateText);
  if (date !== undefined && Number.isNaN(date.getTime())) {
    throw validationFailed([{ resource: 'Content', field: 'date', code: 'invalid' }], `Invalid request.\n\nFor 'date', ${JSON.stringify(dateText)} is not a valid date.`);
  }
  if (!name.trim() || /[<>\n]/.test(name) || /[<>\n]/.test(email)) throw validationFailed([{ resource: 'Content', field, code: 'invalid' }]);
  return { name, email, ...(date ? { date } : {}) };
}

function commonFields(req: RestRequest): Omit<FileWrite, 'content'> {
  const body = bodyOf(req);
  return {
    path: (req.params.path ?? '').replace(/^\/+|\/+$/g, ''),
    message: reqString(body, 'message', 'Content'),
    sha: optString(body, 'sha', 'Content'),
    branch: optString(body, 'branch', 'Content'),
    author: optPerson(body, 'author'),
    committer: optPerson(body, 'committer'),
  };
}

async function putContents(ctx: SandboxContext, req: RestRequest) {
  const repo = repoFor(ctx, req, { app: ['contents', 'write'], role: 'write' });
  const fields = commonFields(req);
  const content = decodeContent(reqString(bodyOf(req), 'content', 'Content'));
  const done = await writeFile(ctx, repo, actorLogin(ctx, req.actor), { ...fields, content });
  return ok(fileCommit(ctx, repo, { path: fields.path, ...done }), done.created ? 201 : 200);
}

async function deleteContents(ctx: SandboxContext, req: RestRequest) {
  const repo = repoFor(ctx, req, { app: ['contents', 'write'], role: 'write' });
  const fields = commonFields(req);
  reqString(bodyOf(req), 'sha', 'Content');
  const done = await writeFile(ctx, repo, actorLogin(ctx, req.actor), { ...fields, content: null });
  return ok(fileCommit(ctx, repo, { path: fields.path, ...done }));
}

export const contentWriteRoutes: RouteDef[] = [
  { method: 'PUT', pattern: '/repos/:owner/:repo/contents/*path', handler: putContents },
  { method: 'DELETE', pattern: '/repos/:owner/:repo/contents/*path', handler: deleteContents },
];
