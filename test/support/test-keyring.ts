/** A fixed keyring for unit tests (the app derives its own from the App's private key). */
import { Keyring } from '../../src/trust/keyring.ts';

export function testKeyring(): Keyring {
  return Keyring.of([{ kid: 'test', secret: Buffer.alloc(32, 7) }]);
}
