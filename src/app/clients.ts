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
  /** Every installation of the App with the repositories it may access. */
  /** Every installation of the App and the account (org) it is installed on: one request, whatever the number of repositories. */
  installations(): Promise<Array<{ id: number; account: string }>>;
  /** The App's webhook deliveries (to redeliver those that failed). */
  readonly deliveries: AppDeliveries;
}
