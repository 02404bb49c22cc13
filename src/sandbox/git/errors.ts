/** A git child process exited with an unexpected status. The token-free argv is kept for diagnosis. */
export class GitCommandError extends Error {
  override readonly name = 'GitCommandError';
  readonly args: readonly string[];
  readonly exitCode: number | null;
  readonly stderr: string;

  constructor(p: { args: readonly string[]; exitCode: number | null; stderr: string; cwd: string }) {
    const detail = p.stderr.trim().split('\n').slice(0, 5).join(' | ');
    super(`git ${p.args.join(' ')} failed in ${p.cwd} (exit ${p.exitCode ?? 'signal'}): ${detail || 'no stderr'}`);
    this.args = p.args;
    this.exitCode = p.exitCode;
    this.stderr = p.stderr;
  }
}

/** A caller passed a value git must not see (bad ref name, path, revision or sha). */
export class GitInputError extends Error {
  override readonly name = 'GitInputError';
  readonly field: string;
  readonly value: string;

  constructor(field: string, value: string, why: string) {
    super(`invalid ${field} ${JSON.stringify(value)}: ${why}`);
    this.field = field;
    this.value = value;
  }
}
