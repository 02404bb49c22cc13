import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SUBSCRIBED_EVENTS } from '../../src/app/create-app.ts';

const manifest = parse(readFileSync(join(import.meta.dirname, '..', '..', 'app.yml'), 'utf8')) as {
  default_events: string[];
  default_permissions: Record<string, string>;
};

describe('app.yml', () => {
  it('subscribes to exactly the events the app handles', () => {
    expect([...manifest.default_events].sort()).toEqual(SUBSCRIBED_EVENTS);
  });

  it('asks for least privilege: writes only where the flow writes', () => {
    const writes = Object.entries(manifest.default_permissions).filter(([, level]) => level === 'write').map(([k]) => k).sort();
    // checks: write only for the "Unwind config" check run (issue 14).
    expect(writes).toEqual(['actions', 'checks', 'contents', 'issues', 'pull_requests']);
    expect(manifest.default_permissions).not.toHaveProperty('workflows'); // never edits workflow files
    for (const level of Object.values(manifest.default_permissions)) expect(['read', 'write']).toContain(level);
  });
});
