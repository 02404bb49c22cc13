import { describe, expect, it } from 'vitest';
import { parseContract } from '../../src/config/parse-contract.ts';
import { parseMap } from '../../src/config/parse-map.ts';
import { MAX_CONFIG_BYTES, MAX_NESTING } from '../../src/config/parse-yaml.ts';

const timed = <T>(fn: () => T): { value: T; ms: number } => {
  const start = performance.now();
  const value = fn();
  return { value, ms: performance.now() - start };
};

describe('malformed YAML never throws and always points somewhere', () => {
  const malformed = [
    'revert: [unclosed\n',
    'revert:\n\tmerge_method: squash\n', // tab indentation
    'a: b: c\n',
    '"unterminated\n',
    'key: value\n  bad-indent: 1\n',
    '- a\nb: c\n',
    '? complex\n: key\n',
    '{a: 1, a: 2',
    '%YAML 9.9\n---\na: 1\n',
    '---\na: 1\n---\nb: 2\n',
    '*undefined_alias\n',
    '\u0000\u0001',
  ];
  it.each(malformed)('%j', (text) => {
    for (const parse of [parseContract, parseMap]) {
      const result = parse({ file: 'f.yml', text });
      const errors = result.problems.filter((p) => p.severity === 'error');
      expect(errors.length).toBeGreaterThan(0);
      for (const p of result.problems) {
        expect(p.line).toBeGreaterThanOrEqual(1);
        expect(p.col).toBeGreaterThanOrEqual(1);
        expect(p.message.length).toBeGreaterThan(0);
      }
    }
  });

  it('reports a syntax error at its line and column', () => {
    const r = parseContract({ file: 'f.yml', text: 'owners: []\nrevert:\n  wait_for: [ci\n' });
    expect(r.problems[0]).toMatchObject({ severity: 'error', line: 4, col: 1 });
    expect(r.problems[0].message).toMatch(/^YAML syntax error/);
  });
});

describe('huge and deeply nested documents: no crash, bounded time', () => {
  const pathological: Array<[string, string]> = [
    ['deep flow sequences', `owners: ${'['.repeat(50_000)}${']'.repeat(50_000)}\n`],
    ['deep flow mappings', `revert: ${'{a: '.repeat(20_000)}1${'}'.repeat(20_000)}\n`],
    ['compact block sequences', `${'- '.repeat(20_000)}x\n`],
    ['explicit keys', `${'? '.repeat(20_000)}x\n`],
    ['very wide indentation', `a:\n${' '.repeat(5_000)}b: 1\n`],
  ];
  it.each(pathological)('rejects %s before parsing, at the place it happens', (_name, text) => {
    for (const parse of [parseContract, parseMap]) {
      const { value, ms } = timed(() => parse({ file: 'f.yml', text }));
      expect(value.problems.map((p) => p.message)).toEqual([`nesting is deeper than ${MAX_NESTING} levels`]);
      expect(value.problems[0].line).toBeGreaterThanOrEqual(1);
      expect(ms).toBeLessThan(2_000);
    }
  });

  it('still parses nesting near the limit (indentation 1 space per level)', () => {
    let text = 'revert:\n';
    for (let i = 1; i < 60; i++) text += `${' '.repeat(i)}k${i}:\n`;
    const { value, ms } = timed(() => parseContract({ file: 'f.yml', text }));
    expect(value.problems[0].message).toBe('unknown key "k1"');
    expect(ms).toBeLessThan(2_000);
  });

  it('copes with a many-megabyte single scalar under the size limit', () => {
    const { value, ms } = timed(() => parseContract({ file: 'f.yml', text: `service: ${'x'.repeat(3_000_000)}\n` }));
    expect(value.problems).toEqual([]);
    expect(ms).toBeLessThan(5_000);
  });

  it('rejects block nesting deeper than the limit with a clear message', () => {
    let text = '';
    for (let i = 0; i < MAX_NESTING + 10; i++) text += `${' '.repeat(i)}k${i}:\n`;
    text += `${' '.repeat(MAX_NESTING + 10)}leaf\n`;
    const r = parseMap({ file: 'm.yml', text });
    expect(r.problems.find((p) => p.message === `nesting is deeper than ${MAX_NESTING} levels`)).toBeDefined();
  });

  it('rejects an alias bomb (billion laughs)', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++) lines.push(`a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ')}]`);
    const { value, ms } = timed(() => parseMap({ file: 'm.yml', text: `${lines.join('\n')}\n` }));
    expect(value.map).toBeNull();
    expect(value.problems[0].message).toMatch(/YAML could not be read|alias/i);
    expect(ms).toBeLessThan(5_000);
  });

  it('rejects files over the size limit before parsing', () => {
    const text = `owners: [${'"x",'.repeat(MAX_CONFIG_BYTES / 4 + 10)}]\n`;
    const { value, ms } = timed(() => parseContract({ file: 'f.yml', text }));
    expect(value.problems).toHaveLength(1);
    expect(value.problems[0].message).toMatch(/the limit is/);
    expect(ms).toBeLessThan(1_000);
  });

  it('parses a large valid map (5,000 services) quickly', () => {
    const lines = ['services:'];
    for (let i = 0; i < 5_000; i++) lines.push(`  s${i}: { repo: acme/r${i}, depends_on: [${i > 0 ? `s${i - 1}` : ''}] }`);
    const { value, ms } = timed(() => parseMap({ file: 'm.yml', text: `${lines.join('\n')}\n` }));
    expect(value.problems).toEqual([]);
    expect(Object.keys(value.map!.services)).toHaveLength(5_000);
    expect(ms).toBeLessThan(10_000);
  });

  it('reports every unknown key of a large bad document (bounded output, no crash)', () => {
    const lines = ['services:'];
    for (let i = 0; i < 500; i++) lines.push(`  s${i}: { repo: acme/r${i}, dependson: [] }`);
    const r = parseMap({ file: 'm.yml', text: `${lines.join('\n')}\n` });
    expect(r.problems).toHaveLength(500);
    expect(r.problems.every((p) => p.hint === 'did you mean "depends_on"?')).toBe(true);
  });
});
