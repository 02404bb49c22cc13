import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { diffRefs } from '../../../src/sandbox/git/diff-refs.ts';
import { parseGitUrl } from '../../../src/sandbox/git/parse-git-url.ts';
import { parsePushCommands, peekPushCommands } from '../../../src/sandbox/git/peek-push-commands.ts';
import { readToken } from '../../../src/sandbox/git/read-token.ts';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const Z = '0'.repeat(40);
const pkt = (line: string) => `${(line.length + 4).toString(16).padStart(4, '0')}${line}`;
const body = (...lines: string[]) => Buffer.from(lines.map(pkt).join('') + '0000PACK\x00\x00\x00\x02binary...');

describe('parsePushCommands', () => {
  it('reads commands up to the flush packet, skipping capabilities and shallow lines', () => {
    const buf = body(`shallow ${A}\n`, `${A} ${B} refs/heads/main\0report-status side-band-64k\n`, `${Z} ${B} refs/heads/new\n`, `${B} ${Z} refs/heads/gone\n`);
    expect(parsePushCommands(buf)).toEqual([
      { old: A, new: B, ref: 'refs/heads/main' },
      { old: Z, new: B, ref: 'refs/heads/new' },
      { old: B, new: Z, ref: 'refs/heads/gone' },
    ]);
  });

  it('asks for more bytes until the command list is complete', () => {
    const buf = body(`${A} ${B} refs/heads/main\0caps\n`);
    for (const cut of [0, 3, 10, buf.indexOf('0000')]) expect(parsePushCommands(buf.subarray(0, cut))).toBeNull();
    expect(parsePushCommands(buf.subarray(0, buf.indexOf('0000') + 4))).toHaveLength(1);
  });

  it('stops at malformed input instead of guessing', () => {
    expect(parsePushCommands(Buffer.from('zzzz'))).toEqual([]);
    expect(parsePushCommands(Buffer.from(pkt('push-cert\0caps\n') + '0000'))).toEqual([]);
  });
});

describe('peekPushCommands', () => {
  const chunked = (buf: Buffer, size: number) => Readable.from(Array.from({ length: Math.ceil(buf.length / size) }, (_, i) => buf.subarray(i * size, (i + 1) * size)));

  it('returns the commands and every raw byte it consumed, leaving the rest in the stream', async () => {
    const raw = Buffer.concat([body(`${A} ${B} refs/heads/main\0caps\n`), Buffer.alloc(4096, 7)]);
    const stream = chunked(raw, 16);
    const peeked = await peekPushCommands(stream, false);
    expect(peeked.commands).toEqual([{ old: A, new: B, ref: 'refs/heads/main' }]);
    const rest: Buffer[] = [];
    for await (const c of stream) rest.push(c as Buffer);
    expect(Buffer.concat([...peeked.chunks, ...rest]).equals(raw)).toBe(true);
  });

  it('parses gzip bodies through an inflater but hands back the compressed bytes', async () => {
    const plain = Buffer.concat([body(`${Z} ${A} refs/heads/x\0caps\n`), Buffer.alloc(2048, 1)]);
    const gz = zlib.gzipSync(plain);
    const peeked = await peekPushCommands(chunked(gz, 64), true);
    expect(peeked.commands).toEqual([{ old: Z, new: A, ref: 'refs/heads/x' }]);
    expect(gz.subarray(0, Buffer.concat(peeked.chunks).length).equals(Buffer.concat(peeked.chunks))).toBe(true);
  });

  it('rejects bodies whose command list exceeds the limit', async () => {
    await expect(peekPushCommands(Readable.from([Buffer.alloc(300, 0x66)]), false, 100)).rejects.toThrow(/exceeds 100 bytes/);
  });
});

describe('parseGitUrl', () => {
  it.each([
    ['/octo/hello.git/info/refs', '?service=git-upload-pack', { owner: 'octo', repo: 'hello', kind: 'info-refs', service: 'git-upload-pack', pathInfo: '/octo/hello.git/info/refs' }],
    ['/octo/hello/info/refs', '?service=git-receive-pack', { owner: 'octo', repo: 'hello', kind: 'info-refs', service: 'git-receive-pack', pathInfo: '/octo/hello.git/info/refs' }],
    ['/octo/my.repo.git/git-upload-pack', '', { owner: 'octo', repo: 'my.repo', kind: 'rpc', service: 'git-upload-pack', pathInfo: '/octo/my.repo.git/git-upload-pack' }],
    ['/octo/hello/git-receive-pack', '', { owner: 'octo', repo: 'hello', kind: 'rpc', service: 'git-receive-pack', pathInfo: '/octo/hello.git/git-receive-pack' }],
    // GitHub allows repository names that start with a dot (the org config repo `.github`).
    ['/octo/.github.git/git-upload-pack', '', { owner: 'octo', repo: '.github', kind: 'rpc', service: 'git-upload-pack', pathInfo: '/octo/.github.git/git-upload-pack' }],
  ])('%s%s is a git URL', (pathname, search, expected) => {
    expect(parseGitUrl(pathname, search)).toEqual(expected);
  });

  it.each([
    ['/octo/hello.git/info/refs', ''],
    ['/octo/hello.git/info/refs', '?service=git-archive'],
    ['/repos/octo/hello', ''],
    ['/octo/hello.git/HEAD', ''],
    ['/../hello/git-upload-pack', ''],
    ['/octo/../git-upload-pack', ''],
    ['/octo/./git-upload-pack', ''],
    ['/.hidden/hello/git-upload-pack', ''],
    ['/a/b/c/git-upload-pack', ''],
    ['/octo/he%2Fllo/git-upload-pack', ''],
  ])('%s%s is not', (pathname, search) => {
    expect(parseGitUrl(pathname, search)).toBeNull();
  });
});

describe('readToken', () => {
  const basic = (s: string) => `Basic ${Buffer.from(s).toString('base64')}`;
  it.each([
    [undefined, null],
    [basic('x-access-token:ghs_1'), 'ghs_1'],
    [basic('anyone:ghs_2'), 'ghs_2'],
    [basic('ghs_3:'), 'ghs_3'],
    [basic('ghs_4'), 'ghs_4'],
    ['Bearer ghs_5', 'ghs_5'],
    ['token ghs_6', 'ghs_6'],
    ['Digest abc', ''],
  ])('%s → %s', (authorization, token) => {
    expect(readToken(authorization === undefined ? {} : { authorization })).toBe(token);
  });
});

describe('diffRefs', () => {
  it('reports created, moved and deleted refs sorted by name, and nothing for unchanged ones', () => {
    const before = new Map([['refs/heads/main', A], ['refs/heads/old', A], ['refs/tags/v1', B]]);
    const after = new Map([['refs/heads/main', B], ['refs/heads/new', A], ['refs/tags/v1', B]]);
    expect(diffRefs(before, after)).toEqual([
      { ref: 'refs/heads/main', before: A, after: B },
      { ref: 'refs/heads/new', before: Z, after: A },
      { ref: 'refs/heads/old', before: A, after: Z },
    ]);
  });
});
