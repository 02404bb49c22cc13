/** Runs the real `git` CLI for tests: argv arrays, no shell, ambient GIT_* variables removed. */
import { execFile } from 'node:child_process';

export function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('GIT_')) env[k] = v;
  env.GIT_TERMINAL_PROMPT = '0';
  env.GIT_CONFIG_NOSYSTEM = '1';
  env.HOME = process.env.HOME ?? '/tmp';
  return env;
}

export function git(args: string[], cwd?: string): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'init.defaultBranch=main', ...args], { cwd, env: cleanEnv(), maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(Object.assign(new Error(`git ${args.join(' ')} failed: ${stderr || err.message}`), { stderr }));
      else resolve({ stdout, stderr });
    });
  });
}

/** `http://x-access-token:<token>@127.0.0.1:PORT/owner/repo.git` */
export function authedUrl(baseUrl: string, token: string, owner: string, repo: string): string {
  const u = new URL(`${baseUrl}/${owner}/${repo}.git`);
  u.username = 'x-access-token';
  u.password = token;
  return u.toString();
}
