import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Env var the hook reads: the refs (newline separated) that this push may not update. */
export const PROTECTED_REFS_ENV = 'UNWIND_PROTECTED_REFS';

const SCRIPT = `#!/bin/sh
# Written by Unwind's sandbox: GitHub branch protection for direct pushes (update hook, per ref).
printf '%s\\n' "$${PROTECTED_REFS_ENV}" | grep -Fxq -e "$1" || exit 0
echo "error: GH006: Protected branch update failed for $1." >&2
echo "error: Changes must be made through a pull request." >&2
exit 1
`;

/**
 * Ensures `<reposRoot>/.hooks/update` exists (owners never start with a dot, so no repo clashes)
 * and returns the directory, to be used as `core.hooksPath` for pushes that touch protected refs.
 */
export async function ensureProtectHook(reposRoot: string): Promise<string> {
  const dir = path.join(path.resolve(reposRoot), '.hooks');
  const file = path.join(dir, 'update');
  const current = await readFile(file, 'utf8').catch(() => null);
  if (current !== SCRIPT) {
    await mkdir(dir, { recursive: true });
    const temp = `${file}.${process.pid}.${Date.now()}`;
    await writeFile(temp, SCRIPT, { mode: 0o755 });
    await chmod(temp, 0o755);
    await rename(temp, file);
  }
  return dir;
}
