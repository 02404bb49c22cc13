/** What Unwind trusts when it reads its own records back from GitHub: its bot identity and its keys. */
import type { UserRef } from '../github/port.ts';
import type { Keyring } from './keyring.ts';

export interface Trust {
  readonly keyring: Keyring;
  /** The App's bot login, `<slug>[bot]`. */
  readonly botLogin: string;
}

/** Written by Unwind's own App identity (a person or another App cannot pass). */
export function writtenByUnwind(trust: Trust, user: UserRef | undefined): boolean {
  return user !== undefined && user.type === 'Bot' && user.login === trust.botLogin;
}
