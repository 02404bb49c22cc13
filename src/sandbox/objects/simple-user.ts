/** `simple-user` for users, organizations and bots. */
import type { SandboxContext } from '../context.ts';
import type { AccountState } from '../state/model.ts';
import { nodeId, enc } from './urls.ts';

export function simpleUser(ctx: SandboxContext, account: AccountState): Record<string, unknown> {
  const u = `${ctx.baseUrl}/users/${enc(account.login)}`;
  const orgPath = account.type === 'Organization' ? `/orgs/${enc(account.login)}` : null;
  return {
    login: account.login,
    id: account.id,
    node_id: nodeId(account.type === 'Organization' ? 'O' : account.type === 'Bot' ? 'BOT' : 'U', account.id),
    avatar_url: `${ctx.baseUrl}/avatars/u/${account.id}?v=4`,
    gravatar_id: '',
    url: u,
    html_url: `${ctx.baseUrl}/${enc(account.login)}`,
    followers_url: `${u}/followers`,
    following_url: `${u}/following{/other_user}`,
    gists_url: `${u}/gists{/gist_id}`,
    starred_url: `${u}/starred{/owner}{/repo}`,
    subscriptions_url: `${u}/subscriptions`,
    organizations_url: `${u}/orgs`,
    repos_url: orgPath ? `${ctx.baseUrl}${orgPath}/repos` : `${u}/repos`,
    events_url: `${u}/events{/privacy}`,
    received_events_url: `${u}/received_events`,
    type: account.type,
    user_view_type: 'public',
    site_admin: false,
  };
}

/** simple-user for a login, creating nothing: unknown logins throw (callers validate first). */
export function userByLogin(ctx: SandboxContext, login: string): Record<string, unknown> {
  const acc = ctx.state.accounts[login];
  if (!acc) throw new Error(`sandbox: unknown account ${login}`);
  return simpleUser(ctx, acc);
}
