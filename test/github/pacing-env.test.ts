/** `REDIS_URL` for `unwind serve`: passed on when it is a Redis URL, refused without echoing it otherwise. */
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { readServeEnv, type ServeEnvFiles } from '../../src/cli/read-serve-env.ts';

const PEM = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
const files: ServeEnvFiles = { readText: () => PEM, unwritableDir: () => null, defaultWorkDir: '/tmp' };
const good = { APP_ID: '42', PRIVATE_KEY: PEM, WEBHOOK_SECRET: 's3cret' };

describe('REDIS_URL', () => {
  it('is optional: without it the server paces alone', () => {
    const r = readServeEnv(good, {}, files);
    expect(r.ok && r.config.redisUrl).toBe(undefined);
    expect(r.ok && r.config.throttle).toBe(true);
  });

  it('is passed on when it is a redis:// or rediss:// URL', () => {
    for (const url of ['redis://127.0.0.1:6379', 'rediss://:pw@cache.internal:6380/2']) {
      const r = readServeEnv({ ...good, REDIS_URL: url }, {}, files);
      expect(r.ok && r.config.redisUrl).toBe(url);
    }
  });

  it('stops the server with a message naming it, never showing the value (it may hold a password)', () => {
    for (const url of ['http://:hunter2@cache:6379', 'redis://', 'not a url hunter2']) {
      const r = readServeEnv({ ...good, REDIS_URL: url }, {}, files);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.problems).toEqual([expect.stringMatching(/^REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL/)]);
        expect(r.problems.join('\n')).not.toContain('hunter2');
      }
    }
  });
});
