/** Probot entry (`probot run ./src/index.ts`): wiring only. */
import { tmpdir } from 'node:os';
import { readFileSync } from 'node:fs';
import { createUnwind } from './app/create-app.ts';
import { Keyring } from './trust/keyring.ts';

const env = process.env;
// Probot's own variables: the App's private key also derives the key that signs Unwind's state.
const privateKeyPem = env.PRIVATE_KEY ?? readFileSync(env.PRIVATE_KEY_PATH ?? 'private-key.pem', 'utf8');
const keyring = Keyring.forApp({ privateKeyPem, configured: env.UNWIND_STATE_KEYS });
const unwind = createUnwind({ workRoot: env.UNWIND_WORK_DIR ?? tmpdir(), reconcileMs: 5 * 60_000, keyring });
export default unwind.appFn;
