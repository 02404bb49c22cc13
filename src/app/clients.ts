/** How the app reaches GitHub for one installation: the port for REST, and a token for git. */
import type { GitHubPort } from '../github/port.ts';
import type { AppDeliveries } from './redeliver-failed.ts';

export interface InstallationClient {
  readonly installationId: number;
  readonly port: GitHubPort;
  /** A current installation token, for git's http.extraHeader only. Never log it. */
  token(): Promise<string>;
}

export interface Clients {
  forInstallation(installationId: number): Promise<InstallationClient>;
  /** Every installation of the App and the account (org) it is installed on: one request, whatever the number of repositories. */
  installations(): Promise<Array<{ id: number; account: string }>>;
  /** The App's webhook deliveries (to redeliver those that failed). */
  readonly deliveries: AppDeliveries;
}

/** The same clients, listing the installations once (one reconciler pass: the rollbacks, then the veto windows). */
export function listingOnce(clients: Clients): Clients {
  let listed: ReturnType<Clients['installations']> | null = null;
  return {
    forInstallation: (id) => clients.forInstallation(id),
    installations: () => (listed ??= clients.installations()),
    deliveries: clients.deliveries,
  };
}
