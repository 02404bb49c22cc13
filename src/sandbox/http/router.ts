/** A small router: method + path pattern → handler with decoded params; more literal segments win. */
import type { Handler, RouteDef } from './rest-types.ts';

interface CompiledRoute {
  def: RouteDef;
  regex: RegExp;
  names: string[];
  literals: number;
}

export interface RouteMatch {
  def: RouteDef;
  handler: Handler;
  params: Record<string, string>;
}

export interface Router {
  match(method: string, path: string): RouteMatch | null;
  /** true when some route matches the path with another method */
  pathExists(path: string): boolean;
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function compile(def: RouteDef): CompiledRoute {
  const names: string[] = [];
  let literals = 0;
  const parts = def.pattern
    .split('/')
    .slice(1)
    .map((seg) => {
      if (seg.startsWith(':')) {
        names.push(seg.slice(1));
        return '/([^/]+)';
      }
      if (seg.startsWith('*')) {
        // May be empty, slash included: `/contents` is the root directory (Octokit's URL for path '').
        names.push(seg.slice(1));
        return '(?:/(.*?))?';
      }
      literals += 1;
      return `/${escapeRegex(seg)}`;
    });
  return { def, regex: new RegExp(`^${parts.join('')}/?$`), names, literals };
}

export function createRouter(defs: RouteDef[]): Router {
  const routes = defs.map(compile).sort((a, b) => b.literals - a.literals);
  const find = (path: string, method: string | null): RouteMatch | null => {
    for (const r of routes) {
      if (method !== null && r.def.method !== method) continue;
      const m = r.regex.exec(path);
      if (!m) continue;
      const params: Record<string, string> = {};
      let bad = false;
      r.names.forEach((name, i) => {
        try {
          params[name] = decodeURIComponent(m[i + 1] ?? '');
        } catch {
          bad = true;
        }
      });
      if (bad) continue;
      return { def: r.def, handler: r.def.handler, params };
    }
    return null;
  };
  return {
    match: (method, path) => find(path, method),
    pathExists: (path) => find(path, null) !== null,
  };
}
