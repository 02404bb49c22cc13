// The sandbox's git spawner (see spawner.ts): runs each requested git command and sends back its exit code
// and output. Plain JavaScript, started with `node` alone, so that it stays small and its forks cheap.
import { spawn } from 'node:child_process';

process.on('disconnect', () => process.exit(0));
process.on('message', (req) => {
  const child = spawn(req.file, req.argv, { env: req.env, stdio: ['pipe', 'pipe', 'pipe'] });
  const out = [];
  const err = [];
  let failed = null;
  child.stdout.on('data', (c) => out.push(c));
  child.stderr.on('data', (c) => err.push(c));
  child.stdin.on('error', () => {}); // EPIPE when git exits before reading all input; the exit code tells
  child.on('error', (e) => (failed = e));
  child.on('close', (code) => {
    const reply = failed
      ? { id: req.id, error: `${failed.code ?? 'error'}: ${failed.message}` }
      : { id: req.id, code: code ?? -1, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8') };
    if (process.connected) process.send(reply);
  });
  child.stdin.end(req.input ?? '');
});
