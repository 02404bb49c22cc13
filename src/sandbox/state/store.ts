/** Loads and atomically persists `state.json` (tmp file + rename), coalescing writes per event-loop turn. */
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

export function openStore(dir: string, state: SandboxState): StateStore {
  mkdirSync(dir, { recursive: true });
  let pending = false;
  const write = (): void => {
    pending = false;
    const path = statePath(dir);
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(state));
    renameSync(tmp, path);
  };
  return {
    state,
    save() {
      if (pending) return;
      pending = true;
      setImmediate(() => {
        if (pending) write();
      });
    },
    flush() {
      if (pending) write();
    },
  };
}
