/**
 * Loads and atomically persists `state.json` (tmp file + rename), coalescing the writes of SAVE_DELAY_MS:
 * the whole state is written each time, and writing it on every event-loop turn that changed something cost
 * a busy sandbox ~5 % of its CPU. `flush()` (called by close) writes what is pending at once.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SandboxState } from './model.ts';

export interface StateStore {
  readonly state: SandboxState;
  /** Schedules an atomic write of the whole state (coalesced). */
  save(): void;
  /** Writes now if a save is pending. */
  flush(): void;
}

export function statePath(dir: string): string {
  return join(dir, 'state.json');
}

export function loadState(dir: string): SandboxState | null {
  const path = statePath(dir);
  if (!existsSync(path)) return null;
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as SandboxState;
  if (parsed.version !== 1) throw new Error(`${path}: unsupported sandbox state version ${String(parsed.version)}`);
  return parsed;
}

const SAVE_DELAY_MS = 100;

export function openStore(dir: string, state: SandboxState): StateStore {
  mkdirSync(dir, { recursive: true });
  let pending: NodeJS.Timeout | null = null;
  const write = (): void => {
    if (pending) clearTimeout(pending);
    pending = null;
    const path = statePath(dir);
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(state));
    renameSync(tmp, path);
  };
  return {
    state,
    save() {
      if (pending) return;
      pending = setTimeout(() => {
        try {
          write();
        } catch (err) {
          if (existsSync(dir)) throw err; // a sandbox closed and removed while a save waited: nothing to keep
        }
      }, SAVE_DELAY_MS);
    },
    flush() {
      if (pending) write();
    },
  };
}
