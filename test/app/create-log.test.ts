import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLog } from '../../src/app/create-log.ts';

describe('createLog', () => {
  it('writes JSON lines and censors secrets at any depth, including request headers', async () => {
    let out = '';
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        out += chunk.toString();
        done();
      },
    });
    const log = createLog('info', sink);
    log.info({ token: 'ghs_one', req: { headers: { authorization: 'token ghs_two' } }, step: { clone: { token: 'ghs_three' } }, repo: 'acme/api' }, 'cloned');
    log.child({ id: 'delivery-1', rollback: 'rb-x' }).warn({ privateKey: '-----BEGIN RSA PRIVATE KEY-----', webhookSecret: 's3cret' }, 'started');
    log.debug({ token: 'ghs_four' }, 'below the level');
    await new Promise((r) => setImmediate(r));
    const lines = out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    expect(out).not.toMatch(/ghs_|BEGIN RSA|s3cret/);
    expect(lines[0]).toMatchObject({ msg: 'cloned', repo: 'acme/api', token: '[redacted]', req: { headers: { authorization: '[redacted]' } }, step: { clone: { token: '[redacted]' } } });
    expect(lines[1]).toMatchObject({ msg: 'started', id: 'delivery-1', rollback: 'rb-x', privateKey: '[redacted]' });
  });
});
