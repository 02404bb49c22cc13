/** `per_page`/`page` pagination with GitHub's `Link` header. */
import { HttpError } from './http-error.ts';

export interface Page<T> {
  items: T[];
  link: string | null;
}

export function pageParams(query: URLSearchParams): { perPage: number; page: number } {
  const rawPer = query.get('per_page');
  const rawPage = query.get('page');
  const perPage = rawPer === null ? 30 : Number(rawPer);
  const page = rawPage === null ? 1 : Number(rawPage);
  if (!Number.isInteger(perPage) || perPage < 1) throw new HttpError(422, `Invalid per_page value: ${rawPer ?? ''}`);
  if (!Number.isInteger(page) || page < 1) throw new HttpError(422, `Invalid page value: ${rawPage ?? ''}`);
  return { perPage: Math.min(perPage, 100), page };
}

/** Slices `all` and builds the Link header against `url` (absolute, query preserved). */
export function paginate<T>(all: readonly T[], url: URL): Page<T> {
  const { perPage, page } = pageParams(url.searchParams);
  const last = Math.max(1, Math.ceil(all.length / perPage));
  const items = all.slice((page - 1) * perPage, page * perPage);
  const rel = (p: number, name: string): string => {
    const u = new URL(url.toString());
    u.searchParams.set('per_page', String(perPage));
    u.searchParams.set('page', String(p));
    return `<${u.toString()}>; rel="${name}"`;
  };
  const parts: string[] = [];
  if (page > 1) parts.push(rel(page - 1, 'prev'));
  if (page < last) parts.push(rel(page + 1, 'next'));
  if (page < last) parts.push(rel(last, 'last'));
  if (page > 1) parts.push(rel(1, 'first'));
  return { items, link: parts.length > 0 ? parts.join(', ') : null };
}
