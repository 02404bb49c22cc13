/** The registry: locks all or nothing, compare-and-swap under races, signed, cheap to poll. */
import { describe, expect, it } from 'vitest';
import { emptyRegistry, knowsRollback, release, setTracking, takeLocks } from '../../src/registry/registry-doc.ts';
import { finishRollback, holdersOf, lockPlan, trackRollback } from '../../src/registry/registry-locks.ts';
import { REGISTRY_BRANCH, REGISTRY_PATH, RegistryStore } from '../../src/registry/registry-store.ts';
import { FakeGitHub } from '../support/fake-github.ts';
import { testKeyring } from '../support/test-keyring.ts';

const trust = { keyring: testKeyring(), botLogin: 'unwind[bot]' };
const config = { owner: 'acme', repo: '.github' };
const now = new Date('2026-01-01T00:00:00Z');

function world() {
  const gh = new FakeGitHub();
  gh.addRepo('acme/.github', { files: { 'README.md': 'org\n' } });
  return { gh, store: new RegistryStore(gh, trust, config, async () => undefined) };
}

describe('registry document', () => {
  it('takes every lock of a plan or none, and lets the same rollback take them again', () => {
    const a = takeLocks(emptyRegistry(), { id: 'rb-aaaaaaaa', repos: ['acme/api', 'acme/web'], tracking: null, now });
    expect(a.kind).toBe('taken');
    if (a.kind !== 'taken') return;
    const b = takeLocks(a.doc, { id: 'rb-bbbbbbbb', repos: ['acme/db', 'acme/web'], tracking: null, now });
    expect(b).toEqual({ kind: 'held', holders: [{ repo: 'acme/web', rollback: 'rb-aaaaaaaa', tracking: null }] });
    expect(takeLocks(a.doc, { id: 'rb-aaaaaaaa', repos: ['acme/api'], tracking: null, now }).kind).toBe('taken');
    const released = release(a.doc, { id: 'rb-aaaaaaaa', status: 'completed', now });
    expect(released?.locks).toEqual({});
    expect(released?.recent.map((r) => [r.rollback, r.status])).toEqual([['rb-aaaaaaaa', 'completed']]);
    expect(release(released!, { id: 'rb-aaaaaaaa', status: 'completed', now })).toBeNull();
  });

  it('knows a rollback from its lock commit on, active or recently finished (a start skips its search for a tracking issue otherwise)', () => {
    expect(knowsRollback(emptyRegistry(), 'rb-aaaaaaaa')).toBe(false);
    const a = takeLocks(emptyRegistry(), { id: 'rb-aaaaaaaa', repos: ['acme/api'], tracking: null, now });
    if (a.kind !== 'taken') throw new Error('not taken');
    expect(knowsRollback(a.doc, 'rb-aaaaaaaa')).toBe(true);
    expect(knowsRollback(a.doc, 'rb-bbbbbbbb')).toBe(false);
    expect(knowsRollback(release(a.doc, { id: 'rb-aaaaaaaa', status: 'denied', now })!, 'rb-aaaaaaaa')).toBe(true);
    expect(knowsRollback(emptyRegistry(), 'constructor')).toBe(false);
  });

  it('a rollback that ends before its start recorded where it is tracked still says where, in recent', () => {
    const where = { repo: 'acme/api', number: 9, url: 'https://x/acme/api/issues/9' };
    const a = takeLocks(emptyRegistry(), { id: 'rb-aaaaaaaa', repos: ['acme/api'], tracking: null, now });
    if (a.kind !== 'taken') throw new Error('not taken');
    // The loop that finished knows it.
    expect(release(a.doc, { id: 'rb-aaaaaaaa', status: 'completed', now, tracking: where })?.recent[0]?.tracking).toEqual(where);
    // Or the start's own record arrives after the end.
    const ended = release(a.doc, { id: 'rb-aaaaaaaa', status: 'completed', now })!;
    expect(ended.recent[0]?.tracking).toBeNull();
    expect(setTracking(ended, 'rb-aaaaaaaa', where)?.recent[0]?.tracking).toEqual(where);
    expect(setTracking(emptyRegistry(), 'rb-aaaaaaaa', where)).toBeNull();
  });

  it('treats repository names like "__proto__" or "constructor" as plain keys', () => {
    const a = takeLocks(emptyRegistry(), { id: 'rb-aaaaaaaa', repos: ['acme/constructor'], tracking: null, now });
    expect(a.kind).toBe('taken');
    expect(takeLocks(emptyRegistry(), { id: 'rb-aaaaaaaa', repos: ['acme/toString'], tracking: null, now }).kind).toBe('taken');
  });
});

/** The registry's branch once a prepare made in the background has made it (waits for that, a bounded number of turns). */
async function registryBranch(gh: FakeGitHub): Promise<string | null> {
  for (let turn = 0; turn < 1_000; turn++) {
    const sha = await gh.getBranchSha(config, REGISTRY_BRANCH);
    if (sha) return sha;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return null;
}

describe('RegistryStore on GitHub', () => {
  it('starts a prepared branch at a commit the caller read already, with no read of the repository', async () => {
    const { gh, store } = world();
    const tip = (await gh.getBranchSha(config, 'main'))!;
    await store.read();
    store.prepare(tip);
    expect(await registryBranch(gh)).toBe(tip);
    expect(gh.calls.filter((c) => c.method === 'getRepo')).toEqual([]);
  });

  it('prepares once the read on its way finds no registry: no read of its own, and nothing when the read finds one', async () => {
    const { gh, store } = world();
    const tip = (await gh.getBranchSha(config, 'main'))!;
    const reading = store.read();
    store.prepare(tip); // asked while the read is on its way
    await reading;
    expect(await registryBranch(gh)).toBe(tip);
    expect(gh.calls.filter((c) => c.method === 'readBranchFile')).toHaveLength(1);
    // A registry exists now: a later prepare during a read that finds it creates nothing.
    await store.update((doc) => ({ ...doc, locks: { 'acme/api': { rollback: 'rb-aaaaaaaa', since: now.toISOString() } } }), 'lock');
    const creations = gh.calls.filter((c) => c.method === 'createBranch').length;
    const again = store.read();
    store.prepare(tip);
    await again;
    for (let turn = 0; turn < 100; turn++) await new Promise((resolve) => setImmediate(resolve));
    expect(gh.calls.filter((c) => c.method === 'createBranch')).toHaveLength(creations);
  });

  it('makes its branch ahead of the first write when asked to prepare, and again after it was deleted', async () => {
    const { gh, store } = world();
    const creations = () => gh.calls.filter((c) => c.method === 'createBranch').length;
    store.prepare(); // nothing read yet: nothing known to be missing
    expect(creations()).toBe(0);
    await store.read();
    store.prepare();
    expect(await registryBranch(gh)).not.toBeNull();
    expect(creations()).toBe(1);
    await store.update((doc) => ({ ...doc, locks: { 'acme/api': { rollback: 'rb-aaaaaaaa', since: now.toISOString() } } }), 'lock');
    expect(creations()).toBe(1); // the write used the branch made ahead
    expect((await store.read()).locks['acme/api']?.rollback).toBe('rb-aaaaaaaa');
    // Someone deletes the branch: the store finds the registry absent and makes the branch again to write.
    await gh.deleteBranch(config, REGISTRY_BRANCH);
    await store.update((doc) => ({ ...doc, locks: {} }), 'unlock');
    expect(creations()).toBe(2);
    expect((await store.read()).locks).toEqual({});
  });

  it('creates its branch on first use, one signed commit per change, history as the audit trail', async () => {
    const { gh, store } = world();
    expect(await lockPlan(store, { id: 'rb-aaaaaaaa', repos: ['acme/api'], now })).toEqual([]);
    await trackRollback(store, 'rb-aaaaaaaa', { repo: 'acme/incidents', number: 4, url: 'https://x/acme/incidents/issues/4' });
    await finishRollback(store, { id: 'rb-aaaaaaaa', status: 'completed', now });
    expect(await gh.getBranchSha(config, REGISTRY_BRANCH)).not.toBeNull();
    const read = await gh.readBranchFile(config, REGISTRY_BRANCH, REGISTRY_PATH);
    expect(read.kind).toBe('file');
    const log: string[] = [];
    for (let sha = await gh.getBranchSha(config, REGISTRY_BRANCH); sha; ) {
      const c = (await gh.getCommit(config, sha))!;
      log.push(c.message);
      sha = c.parents[0] ?? null;
    }
    expect(log.slice(0, 3)).toEqual(['rb-aaaaaaaa: completed, locks released', 'rb-aaaaaaaa: tracked at acme/incidents#4', 'rb-aaaaaaaa: lock acme/api']);
  });

  it('two writers racing on overlapping plans: exactly one takes the locks, the other sees it as the holder', async () => {
    const { gh } = world();
    const s1 = new RegistryStore(gh, trust, config, async () => undefined);
    const s2 = new RegistryStore(gh, trust, config, async () => undefined);
    const [h1, h2] = await Promise.all([
      lockPlan(s1, { id: 'rb-aaaaaaaa', repos: ['acme/api', 'acme/web'], now }),
      lockPlan(s2, { id: 'rb-bbbbbbbb', repos: ['acme/web', 'acme/db'], now }),
    ]);
    expect([h1.length, h2.length].sort()).toEqual([0, 1]);
    const doc = await s1.read();
    const winner = h1.length === 0 ? 'rb-aaaaaaaa' : 'rb-bbbbbbbb';
    expect(Object.values(doc.locks).every((l) => l.rollback === winner)).toBe(true);
    expect(Object.keys(doc.rollbacks)).toEqual([winner]);
  });

  it('polls an unchanged registry with a conditional request', async () => {
    const { gh, store } = world();
    await lockPlan(store, { id: 'rb-aaaaaaaa', repos: ['acme/api'], now });
    await store.read();
    gh.calls.length = 0;
    const again = await store.read();
    expect(Object.keys(again.locks)).toEqual(['acme/api']);
    expect(gh.calls.map((c) => c.method)).toEqual(['readBranchFile']);
    expect(typeof gh.calls[0].args[3]).toBe('string');
  });

  it('writes on the document it last read or wrote without reading it again; compare-and-swap catches one that moved since', async () => {
    const { gh, store } = world();
    await lockPlan(store, { id: 'rb-aaaaaaaa', repos: ['acme/api'], now });
    // Right after its own write: the next change goes straight to the write (no read).
    gh.calls.length = 0;
    await trackRollback(store, 'rb-aaaaaaaa', { repo: 'acme/incidents', number: 4, url: 'https://x/acme/incidents/issues/4' });
    expect(gh.calls.filter((c) => c.method.endsWith('BranchFile')).map((c) => c.method)).toEqual(['writeBranchFile']);
    // Another store (a replica) writes meanwhile: this store's next write is refused, read again and made on the new document.
    const other = new RegistryStore(gh, trust, config, async () => undefined);
    expect(await lockPlan(other, { id: 'rb-bbbbbbbb', repos: ['acme/web'], now })).toEqual([]);
    gh.calls.length = 0;
    const held = await lockPlan(store, { id: 'rb-cccccccc', repos: ['acme/web', 'acme/db'], now });
    expect(held).toEqual([{ repo: 'acme/web', rollback: 'rb-bbbbbbbb', tracking: null }]);
    // (The write built on what it knew was refused; the read showed the lock held, so nothing more was written.)
    expect(gh.calls.filter((c) => c.method.endsWith('BranchFile')).map((c) => c.method)).toEqual(['writeBranchFile', 'readBranchFile']);
    gh.calls.length = 0;
    await finishRollback(other, { id: 'rb-bbbbbbbb', status: 'completed', now });
    expect(await lockPlan(store, { id: 'rb-cccccccc', repos: ['acme/web', 'acme/db'], now })).toEqual([]);
    const doc = await new RegistryStore(gh, trust, config).read();
    expect(Object.fromEntries(Object.entries(doc.locks).map(([r, l]) => [r, l.rollback]))).toEqual({ 'acme/api': 'rb-aaaaaaaa', 'acme/db': 'rb-cccccccc', 'acme/web': 'rb-cccccccc' });
    expect(doc.rollbacks['rb-aaaaaaaa']?.tracking?.number).toBe(4);
    expect(doc.recent.map((r) => r.rollback)).toContain('rb-bbbbbbbb');
  });

  it('reads again before writing when what it knows of the registry is old', async () => {
    const { gh } = world();
    let clock = 0;
    const store = new RegistryStore(gh, trust, config, async () => undefined, () => clock);
    await lockPlan(store, { id: 'rb-aaaaaaaa', repos: ['acme/api'], now });
    clock += 60_000;
    gh.calls.length = 0;
    await trackRollback(store, 'rb-aaaaaaaa', { repo: 'acme/incidents', number: 4, url: 'https://x/acme/incidents/issues/4' });
    expect(gh.calls.filter((c) => c.method.endsWith('BranchFile')).map((c) => c.method)).toEqual(['readBranchFile', 'writeBranchFile']);
  });

  it('refuses a registry someone else wrote: nothing is locked or released on its word', async () => {
    const { gh, store } = world();
    await lockPlan(store, { id: 'rb-aaaaaaaa', repos: ['acme/api'], now });
    const read = await gh.readBranchFile(config, REGISTRY_BRANCH, REGISTRY_PATH);
    if (read.kind !== 'file') throw new Error('no registry');
    const forged = read.text.replace('acme/api', 'acme/web');
    await gh.writeBranchFile(config, { branch: REGISTRY_BRANCH, path: REGISTRY_PATH, text: forged, message: 'edit', sha: read.blobSha });
    await expect(new RegistryStore(gh, trust, config).read()).rejects.toThrow(/not written by Unwind/);
    await expect(holdersOf(new RegistryStore(gh, trust, config), { id: 'rb-bbbbbbbb', repos: ['acme/api'], now })).rejects.toThrow(/not written by Unwind/);
  });
});
