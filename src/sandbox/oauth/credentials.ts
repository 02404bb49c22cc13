/**
 * The App registration's OAuth client credentials. GitHub shows them on the App's settings page; the
 * sandbox derives them from the App it created, so a test or the demo can hand them to Unwind: the id
 * is the one the sandbox also accepts as a JWT issuer, the secret an HMAC of the App's private key.
 */
import { createHmac } from 'node:crypto';
import { clientId } from '../auth/authenticate.ts';
import type { AppInfo } from '../types.ts';

export interface OAuthClient {
  readonly clientId: string;
  readonly clientSecret: string;
}

export function oauthClientOf(app: Pick<AppInfo, 'id' | 'privateKeyPem'>): OAuthClient {
  return {
    clientId: clientId(app.id),
    clientSecret: createHmac('sha256', app.privateKeyPem).update('sandbox oauth client secret').digest('hex').slice(0, 40),
  };
}
