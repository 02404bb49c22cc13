import type { Readable } from 'node:stream';
import zlib from 'node:zlib';

export interface PushCommand {
  old: string;
  new: string;
  ref: string;
}

export interface PeekedBody {
  /** raw (possibly gzip) request bytes consumed so far; they must be replayed to the backend */
  chunks: Buffer[];
  /** true when the whole request body is in `chunks` */
  ended: boolean;
  commands: PushCommand[];
}

const COMMAND = /^([0-9a-f]{40}) ([0-9a-f]{40}) (\S+)$/;

/**
 * Parses the pkt-line command list at the start of a receive-pack request (`<old> <new> <ref>`,
 * capabilities after a NUL on the first line, `shallow` lines skipped) up to the flush packet.
 * Returns null when more bytes are needed. Malformed input ends the list early: git-http-backend
 * then rejects the request itself.
 */
export function parsePushCommands(buf: Buffer): PushCommand[] | null {
  const commands: PushCommand[] = [];
  let offset = 0;
  for (;;) {
    if (buf.length < offset + 4) return null;
    const length = Number.parseInt(buf.toString('latin1', offset, offset + 4), 16);
    if (!Number.isInteger(length) || length === 0 || length < 4) return commands;
    if (buf.length < offset + length) return null;
    let line = buf.toString('utf8', offset + 4, offset + length);
    offset += length;
    const nul = line.indexOf('\0');
    if (nul !== -1) line = line.slice(0, nul);
    line = line.replace(/\n$/, '');
    if (line.startsWith('shallow ')) continue;
    const m = COMMAND.exec(line);
    if (!m) return commands; // push-cert or garbage: stop here
    commands.push({ old: m[1], new: m[2], ref: m[3] });
  }
}

/**
 * Reads just enough of a receive-pack request body to know which refs it updates, then pauses the
 * request so the rest can be piped to the backend after `chunks`. Bodies are inflated only for
 * parsing (`gzip`); the backend still receives the original bytes.
 */
export function peekPushCommands(req: Readable, gzip: boolean, limit = 16 * 1024 * 1024): Promise<PeekedBody> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let decoded = Buffer.alloc(0);
    let total = 0;
    let settled = false;
    const inflate = gzip ? zlib.createGunzip() : null;

    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
      inflate?.destroy();
    };
    let ended = false;
    const finish = (commands: PushCommand[]) => {
      if (settled) return;
      settled = true;
      cleanup();
      if (!ended) req.pause();
      resolve({ chunks, ended, commands });
    };
    const onDecoded = (data: Buffer) => {
      decoded = Buffer.concat([decoded, data]);
      const commands = parsePushCommands(decoded);
      if (commands !== null) finish(commands);
      else if (decoded.length > limit) onError(new Error(`push command list exceeds ${limit} bytes`));
    };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      total += chunk.length;
      if (total > limit) return onError(new Error(`push request exceeds ${limit} bytes before its command list ended`));
      if (inflate) inflate.write(chunk);
      else onDecoded(chunk);
    };
    const onEnd = () => {
      ended = true;
      if (inflate) inflate.end(); // finish once the inflater has flushed everything
      else finish(parsePushCommands(decoded) ?? []);
    };
    const onError = (err: Error) => {
      if (settled) return;
      settled = true;
      cleanup();
      reject(err);
    };
    const onClose = () => ended || onError(new Error('client closed the push request before its command list'));
    inflate?.on('data', onDecoded);
    inflate?.on('end', () => finish(parsePushCommands(decoded) ?? []));
    inflate?.on('error', () => finish([])); // corrupt gzip: let the backend report it
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}
