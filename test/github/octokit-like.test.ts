import { Octokit } from '@octokit/rest';
import type { Context } from 'probot';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { OctokitLike } from '../../src/github/octokit-like.ts';
import { createOctokitPort } from '../../src/github/octokit-adapter.ts';

describe('OctokitLike', () => {
  it('is satisfied by @octokit/rest and by Probot’s context.octokit', () => {
    expectTypeOf<Octokit>().toExtend<OctokitLike>();
    expectTypeOf<Context['octokit']>().toExtend<OctokitLike>();
    const port = createOctokitPort(new Octokit({ baseUrl: 'http://127.0.0.1:9' }));
    expect(typeof port.mergePull).toBe('function');
  });
});
