/**
 * The settings of `unwind serve`, read from the environment (Probot's conventions plus Unwind's own) and
 * checked before anything starts: a misconfigured server refuses to start, naming every variable at fault.
 * File-system checks go through `files`, so this stays a function of its inputs.
 */
import { createPrivateKey } from 'node:crypto';
import { hostname } from 'node:os';
import { parseKeySpec } from '../trust/keyring.ts';
import { DEFAULT_BASE_URL } from '../github/create-octokit.ts';
import { readDashboardEnv } from '../app/sign-in/dashboard-settings.ts';

export const DEFAULT_PORT = 3000;
export const DEFAULT_RECONCILE_MS = 5 * 60_000;
const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
type LogLevel = (typeof LOG_LEVELS)[number];

export interface ServeConfig {
  readonly appId: number;
  readonly privateKey: string;
  readonly webhookSecret: string;
  readonly baseUrl: string;
  readonly port: number;
  readonly workRoot: string;
  /** How often a waiting rollback polls GitHub (undefined: the app's default). */
  readonly pollMs?: number;
  readonly reconcileMs: number;
  readonly logLevel: LogLevel;
  /** This replica among several: its id in the registry's leases and how long a lease lasts (see README, "Several replicas"). */
  readonly replica: { readonly id: string; readonly leaseMs?: number };
  /** Pacing by GitHub's published secondary limits; `UNWIND_PACING=off` only against the sandbox. */
  readonly throttle: boolean;
  /** `REDIS_URL`: every replica shares one pacing budget through this Redis. */
  readonly redisUrl?: string;
}

export type ServeEnvResult = { readonly ok: true; readonly config: ServeConfig } | { readonly ok: false; readonly problems: readonly string[] };

export interface ServeEnvFiles {
  /** The text of a file; throws when it cannot be read. */
  readText(path: string): string;
  /** Why `path` cannot be used as a writable directory, or null when it can. */
  unwritableDir(path: string): string | null;
  /** UNWIND_WORK_DIR when unset. */
  readonly defaultWorkDir: string;
}

/** `port`: the --port option, which wins over PORT. */
export function readServeEnv(env: Readonly<Record<string, string | undefined>>, opts: { port?: number }, files: ServeEnvFiles): ServeEnvResult {
  const problems: string[] = [];
  const set = (name: string): string | undefined => (env[name]?.trim() ? env[name] : undefined);

  // 1. The App's identity and secrets.
  const appId = integerVar(env, 'APP_ID', problems, 'the GitHub App\'s numeric id, from its settings page', { required: true });
  if (set('WEBHOOK_SECRET') === undefined) problems.push('WEBHOOK_SECRET is not set: set it to the webhook secret of the GitHub App');
  const privateKey = readKey(env, files, problems);

  // 2. Where GitHub is.
  const baseUrl = readBaseUrl(env, problems);

  // 3. This server: port, work directory, intervals, log level.
  let port = opts.port;
  if (port === undefined) port = set('PORT') === undefined ? DEFAULT_PORT : portVar(env.PORT!, problems);
  const workRoot = set('UNWIND_WORK_DIR') ?? files.defaultWorkDir;
  const unwritable = files.unwritableDir(workRoot);
  if (unwritable !== null) problems.push(`UNWIND_WORK_DIR ${JSON.stringify(workRoot)} ${unwritable}: point it at an existing directory Unwind may write to (revert branches are prepared there)`);
  const pollMs = integerVar(env, 'UNWIND_POLL_MS', problems, 'milliseconds between the polls of a waiting rollback');
  const reconcileMs = integerVar(env, 'UNWIND_RECONCILE_MS', problems, 'milliseconds between two runs of the reconciler') ?? DEFAULT_RECONCILE_MS;
  const replicaId = set('UNWIND_REPLICA_ID')?.trim() ?? `${hostname()}:${port ?? DEFAULT_PORT}`;
  if (!/^[\x21-\x7e]{1,200}$/.test(replicaId)) problems.push(`UNWIND_REPLICA_ID must be 1 to 200 printable ASCII characters without spaces, got ${JSON.stringify(env.UNWIND_REPLICA_ID)}`);
  const leaseMs = integerVar(env, 'UNWIND_LEASE_MS', problems, 'milliseconds a replica holds a rollback without renewing its lease');
  const level = set('LOG_LEVEL')?.trim() ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(level)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(level)}`);
  const pacing = set('UNWIND_PACING')?.trim() ?? 'on';
  if (pacing !== 'on' && pacing !== 'off') problems.push(`UNWIND_PACING must be on or off, got ${JSON.stringify(env.UNWIND_PACING)}`);
  const redisUrl = set('REDIS_URL')?.trim();
  // Never echo it: a Redis URL may carry a password.
  if (redisUrl !== undefined && !isRedisUrl(redisUrl)) problems.push('REDIS_URL must be a redis:// or rediss:// URL with a host, such as redis://127.0.0.1:6379 (the value set is not shown: it may hold a password)');
  if (set('UNWIND_STATE_KEYS') !== undefined) {
    try {
      parseKeySpec(env.UNWIND_STATE_KEYS!);
    } catch (err) {
      problems.push(`${err instanceof Error ? err.message : String(err)} (see SECURITY.md; \`unwind keys new\` prints one)`);
    }
  }

  // 4. Who may read /rollbacks (UNWIND_DASHBOARD_AUTH, GITHUB_CLIENT_ID/SECRET, UNWIND_PUBLIC_URL); `unwind serve` reads the settings with readDashboardEnv.
  const dashboard = readDashboardEnv(env, baseUrl ?? DEFAULT_BASE_URL);
  if (!dashboard.ok) problems.push(...dashboard.problems);

  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    config: {
      appId: appId!, privateKey: privateKey!, webhookSecret: env.WEBHOOK_SECRET!, baseUrl: baseUrl!, port: port!, workRoot,
      ...(pollMs === undefined ? {} : { pollMs }), reconcileMs, replica: { id: replicaId, ...(leaseMs === undefined ? {} : { leaseMs }) }, logLevel: level as LogLevel, throttle: pacing === 'on', ...(redisUrl === undefined ? {} : { redisUrl }),
    },
  };
}

function integerVar(env: Readonly<Record<string, string | undefined>>, name: string, problems: string[], what: string, opts: { required?: boolean } = {}): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') {
    if (opts.required) problems.push(`${name} is not set: set it to ${what}`);
    return undefined;
  }
  const n = /^[0-9]+$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1) {
    problems.push(`${name} must be a positive integer (${what}), got ${JSON.stringify(raw)}`);
    return undefined;
  }
  return n;
}

function portVar(raw: string, problems: string[]): number | undefined {
  const n = /^[0-9]+$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
  if (Number.isInteger(n) && n <= 65_535) return n;
  problems.push(`PORT must be a TCP port (0-65535; 0: any free port), got ${JSON.stringify(raw)}`);
  return undefined;
}

/** PRIVATE_KEY (PEM, with `\n` escapes or base64-encoded as Probot accepts it) or the file PRIVATE_KEY_PATH. */
function readKey(env: Readonly<Record<string, string | undefined>>, files: ServeEnvFiles, problems: string[]): string | undefined {
  let pem: string;
  let name: string;
  if (env.PRIVATE_KEY?.trim()) {
    name = 'PRIVATE_KEY';
    pem = env.PRIVATE_KEY;
    if (!pem.includes('-----BEGIN') && /^[A-Za-z0-9+/=\s]+$/.test(pem)) pem = Buffer.from(pem.trim(), 'base64').toString('utf8');
    pem = pem.replaceAll('\\n', '\n');
  } else if (env.PRIVATE_KEY_PATH?.trim()) {
    name = `PRIVATE_KEY_PATH ${JSON.stringify(env.PRIVATE_KEY_PATH)}`;
    try {
      pem = files.readText(env.PRIVATE_KEY_PATH);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      problems.push(`${name} cannot be read (${code ?? (err instanceof Error ? err.message : String(err))}): point it at the App's private key file (.pem)`);
      return undefined;
    }
  } else {
    problems.push('PRIVATE_KEY or PRIVATE_KEY_PATH is not set: set one to the GitHub App\'s private key (.pem, from its settings page)');
    return undefined;
  }
  try {
    const key = createPrivateKey(pem);
    if (key.asymmetricKeyType !== 'rsa') throw new Error(`it is a ${key.asymmetricKeyType ?? 'secret'} key, GitHub Apps sign with RSA`);
  } catch (err) {
    // Never echo the key itself.
    const why = err instanceof Error ? err.message.replace(/^error:[0-9A-F]+:/i, '') : String(err);
    problems.push(`${name} is not a usable private key (${why}): use the whole .pem file the App's settings page generated, BEGIN and END lines included`);
    return undefined;
  }
  return pem;
}

/** GITHUB_BASE_URL, else GHE_HOST (+ GHE_PROTOCOL) as Probot reads them, else github.com. */
function readBaseUrl(env: Readonly<Record<string, string | undefined>>, problems: string[]): string | undefined {
  if (env.GITHUB_BASE_URL?.trim()) {
    const raw = env.GITHUB_BASE_URL.trim();
    if (httpUrl(raw) === null) {
      problems.push(`GITHUB_BASE_URL must be an http(s) URL such as https://github.example.com/api/v3, got ${JSON.stringify(env.GITHUB_BASE_URL)}`);
      return undefined;
    }
    return raw.replace(/\/+$/, '');
  }
  if (env.GHE_HOST?.trim()) {
    const protocol = env.GHE_PROTOCOL?.trim() || 'https';
    if (protocol !== 'https' && protocol !== 'http') {
      problems.push(`GHE_PROTOCOL must be https or http, got ${JSON.stringify(env.GHE_PROTOCOL)}`);
      return undefined;
    }
    const host = env.GHE_HOST.trim();
    const url = /^[A-Za-z0-9.-]+(:[0-9]{1,5})?$/.test(host) ? httpUrl(`${protocol}://${host}/api/v3`) : null;
    if (url === null) {
      problems.push(`GHE_HOST must be a host name, optionally with :port (e.g. github.example.com), got ${JSON.stringify(env.GHE_HOST)}`);
      return undefined;
    }
    return url;
  }
  return DEFAULT_BASE_URL;
}

function isRedisUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return (url.protocol === 'redis:' || url.protocol === 'rediss:') && url.hostname !== '';
  } catch {
    return false;
  }
}

function httpUrl(raw: string): string | null {
  try {
    const url = new URL(raw);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '' ? url.href.replace(/\/+$/, '') : null;
  } catch {
    return null;
  }
}
