/** The config check's pure parts: which changes it is about, and the shape of a map as waves. */
import { describe, expect, it } from 'vitest';
import { configChanges } from '../../src/app/config-check/config-paths.ts';
import { mapShape, renderShapes, sameShape } from '../../src/app/config-check/map-shape.ts';
import { parseMap } from '../../src/config/parse-map.ts';

const map = (text: string) => {
  const parsed = parseMap({ file: 'unwind/map.yml', text });
  if (!parsed.map) throw new Error(parsed.problems.map((p) => p.message).join('; '));
  return parsed.map;
};

describe('configChanges', () => {
  it.each([
    ['api', ['.github/unwind.yml', 'src/a.ts'], { contracts: ['.github/unwind.yml'], map: false, policies: false }],
    ['api', ['unwind/map.yml', 'unwind/policies/x.rego'], null], // the map and policies count only in the org config repo
    ['.github', ['unwind/map.yml'], { contracts: [], map: true, policies: false }],
    ['.github', ['unwind/policies/data.json', '.github/unwind.yaml'], { contracts: ['.github/unwind.yaml'], map: false, policies: true }],
    ['.github', ['README.md'], null],
  ] as const)('%s %j', (repo, paths, expected) => {
    expect(configChanges(repo, paths)).toEqual(expected);
  });
});

describe('mapShape', () => {
  it('puts dependents first and a group in one wave', () => {
    const shape = mapShape(map('services:\n  db:\n    repo: o/db\n  api:\n    repo: o/api\n    depends_on: [db]\n  web:\n    repo: o/web\n    depends_on: [api]\n  worker:\n    repo: o/worker\n    depends_on: [db]\ngroups:\n  front: [web, worker]\n'));
    expect(shape).toEqual({ ok: true, waves: [['web', 'worker'], ['api'], ['db']] });
  });

  it('tells a reordering from an unchanged order, and renders both', () => {
    const before = mapShape(map('services:\n  a:\n    repo: o/a\n  b:\n    repo: o/b\n    depends_on: [a]\n'));
    const after = mapShape(map('services:\n  a:\n    repo: o/a\n    depends_on: [b]\n  b:\n    repo: o/b\n'));
    expect(sameShape(before, before)).toBe(true);
    expect(sameShape(before, after)).toBe(false);
    const text = renderShapes(before, after);
    expect(text).toContain('**Before (default branch)**\n\n1. b\n2. a');
    expect(text).toContain('**After (this change)**\n\n1. a\n2. b');
  });
});
