/** Every REST route the sandbox implements. */
import type { RouteDef } from '../http/rest-types.ts';
import { actionRoutes } from './actions.ts';
import { appRoutes } from './app.ts';
import { branchRoutes } from './branches.ts';
import { checkRoutes } from './checks.ts';
import { commitRoutes } from './commits.ts';
import { contentWriteRoutes } from './contents-write.ts';
import { hookDeliveryRoutes } from './hook-deliveries.ts';
import { issueRoutes } from './issues.ts';
import { peopleRoutes } from './people.ts';
import { pullRoutes } from './pulls.ts';
import { repoRoutes } from './repos.ts';

export const allRoutes: RouteDef[] = [
  ...appRoutes,
  ...hookDeliveryRoutes,
  ...repoRoutes,
  ...contentWriteRoutes,
  ...commitRoutes,
  ...branchRoutes,
  ...pullRoutes,
  ...issueRoutes,
  ...checkRoutes,
  ...actionRoutes,
  ...peopleRoutes,
];

/** `{method, path}` in the spec's template form, for pre-warming the contract checker. */
export function routeTemplates(): Array<{ method: string; path: string }> {
  return allRoutes.map((r) => ({ method: r.method, path: r.pattern.replace(/[:*]([a-z_]+)/g, '{$1}') }));
}
