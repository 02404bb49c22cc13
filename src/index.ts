/** Probot entry (`probot run ./src/index.ts`): wiring only. */
import { tmpdir } from 'node:os';
import { createUnwind } from './app/create-app.ts';

const unwind = createUnwind({ workRoot: process.env.UNWIND_WORK_DIR ?? tmpdir(), reconcileMs: 5 * 60_000 });
export default unwind.appFn;
